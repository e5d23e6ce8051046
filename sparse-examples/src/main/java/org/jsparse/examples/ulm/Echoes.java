package org.jsparse.examples.ulm;

import java.util.SplittableRandom;

/**
 * The ultrasound side of the simulation, on the coarse grid (one wavelength a pixel, pixel i
 * covering [i, i+1), centre i + 0.5): each bubble's echo is a complex point-spread function, a
 * Gaussian envelope (FWHM 1.25 wavelengths laterally, 1 axially) times {@code exp(i 2 k0 dz)}, with
 * the bubble's amplitude and phase, plus complex Gaussian noise at a signal-to-noise ratio; the
 * network's input is the CorrMap, the normalized complex cross-correlation of each frame with
 * the PSF over a 5x5 window ({@code |c| <= 1}), two channels (real, imaginary).
 */
public final class Echoes {
  static final double SIGMA_LATERAL = 1.25 / 2.3548;
  static final double SIGMA_AXIAL = 1.0 / 2.3548;
  static final int HALF_WINDOW = 2;
  private static final double TWO_K0 = 4 * Math.PI; // 2 * 2 pi / lambda, lambda = 1 px

  private Echoes() {}

  /** The PSF at offset (dx, dz) px from the bubble: {re, im}. */
  static double[] psf(double dx, double dz) {
    double envelope = Math.exp(-dx * dx / (2 * SIGMA_LATERAL * SIGMA_LATERAL) - dz * dz / (2 * SIGMA_AXIAL * SIGMA_AXIAL));
    return new double[] {envelope * Math.cos(TWO_K0 * dz), envelope * Math.sin(TWO_K0 * dz)};
  }

  /**
   * One beamformed IQ frame, {@code [2][width * width]} (re, im; row-major z then x) of the flow's
   * bubbles plus noise at {@code snrDb} (relative to a unit echo).
   */
  static double[][] frame(BubbleFlow flow, int width, double snrDb, SplittableRandom rnd) {
    double[][] iq = new double[2][width * width];
    for (int b = 0; b < flow.count(); b++) {
      double[] p = flow.position(b);
      double a = flow.amplitude(b);
      double cos = Math.cos(flow.phase(b));
      double sin = Math.sin(flow.phase(b));
      int x0 = (int) Math.floor(p[0]) - 3;
      int z0 = (int) Math.floor(p[1]) - 3;
      for (int z = Math.max(0, z0); z < Math.min(width, z0 + 7); z++) {
        for (int x = Math.max(0, x0); x < Math.min(width, x0 + 7); x++) {
          double[] h = psf(x + 0.5 - p[0], z + 0.5 - p[1]);
          iq[0][z * width + x] += a * (h[0] * cos - h[1] * sin);
          iq[1][z * width + x] += a * (h[0] * sin + h[1] * cos);
        }
      }
    }
    double sigma = Math.pow(10, -snrDb / 20) / Math.sqrt(2);
    for (int i = 0; i < width * width; i++) {
      iq[0][i] += sigma * rnd.nextGaussian();
      iq[1][i] += sigma * rnd.nextGaussian();
    }
    return iq;
  }

  /** The CorrMap of a frame: {@code c(x) = sum_w I(x+w) conj(P(w)) / sqrt(sum_w |I(x+w)|^2 sum_w |P(w)|^2)}, zero outside. */
  static float[][] corrMap(double[][] iq, int width) {
    int n = 2 * HALF_WINDOW + 1;
    double[][] template = new double[2][n * n];
    double templateEnergy = 0;
    for (int v = 0; v < n; v++) {
      for (int u = 0; u < n; u++) {
        double[] h = psf(u - HALF_WINDOW, v - HALF_WINDOW);
        template[0][v * n + u] = h[0];
        template[1][v * n + u] = h[1];
        templateEnergy += h[0] * h[0] + h[1] * h[1];
      }
    }
    float[][] c = new float[2][width * width];
    for (int z = 0; z < width; z++) {
      for (int x = 0; x < width; x++) {
        double re = 0;
        double im = 0;
        double energy = 0;
        for (int v = 0; v < n; v++) {
          int zz = z + v - HALF_WINDOW;
          if (zz < 0 || zz >= width) {
            continue;
          }
          for (int u = 0; u < n; u++) {
            int xx = x + u - HALF_WINDOW;
            if (xx < 0 || xx >= width) {
              continue;
            }
            double ir = iq[0][zz * width + xx];
            double ii = iq[1][zz * width + xx];
            double tr = template[0][v * n + u];
            double ti = template[1][v * n + u];
            re += ir * tr + ii * ti; // I * conj(P)
            im += ii * tr - ir * ti;
            energy += ir * ir + ii * ii;
          }
        }
        double norm = Math.sqrt(energy * templateEnergy);
        c[0][z * width + x] = norm > 0 ? (float) (re / norm) : 0;
        c[1][z * width + x] = norm > 0 ? (float) (im / norm) : 0;
      }
    }
    return c;
  }
}
