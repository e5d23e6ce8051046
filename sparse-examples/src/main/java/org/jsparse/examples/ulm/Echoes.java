package org.jsparse.examples.ulm;

import java.util.SplittableRandom;

/**
 * The ultrasound side of the simulation, on the coarse grid (one wavelength a pixel, pixel i
 * covering [i, i+1), centre i + 0.5; the last axis is depth, the others lateral): each bubble's
 * echo is a complex point-spread function, a Gaussian envelope (FWHM 1.25 wavelengths laterally,
 * 1 axially) times {@code exp(i 2 k0 dz)}, with the bubble's amplitude and phase, plus complex
 * Gaussian noise at a signal-to-noise ratio; the network's input is the CorrMap, the normalized
 * complex cross-correlation of each frame with the PSF over a window of 5 pixels a side
 * ({@code |c| <= 1}), two channels (real, imaginary). Pixel arrays are flat, axis 0 fastest.
 */
public final class Echoes {
  static final double SIGMA_LATERAL = 1.25 / 2.3548;
  static final double SIGMA_AXIAL = 1.0 / 2.3548;
  static final int HALF_WINDOW = 2;
  private static final double TWO_K0 = 4 * Math.PI; // 2 * 2 pi / lambda, lambda = 1 px

  private Echoes() {}

  /** The PSF at offset {@code d} px from the bubble (last axis axial): {re, im}. */
  static double[] psf(double[] d) {
    double e = 0;
    int last = d.length - 1;
    for (int a = 0; a < last; a++) {
      e += d[a] * d[a] / (2 * SIGMA_LATERAL * SIGMA_LATERAL);
    }
    e += d[last] * d[last] / (2 * SIGMA_AXIAL * SIGMA_AXIAL);
    double envelope = Math.exp(-e);
    return new double[] {envelope * Math.cos(TWO_K0 * d[last]), envelope * Math.sin(TWO_K0 * d[last])};
  }

  /** Pixels of a {@code width}^dims grid. */
  static int pixels(int width, int dims) {
    return (int) Math.pow(width, dims);
  }

  /** The flat index of pixel {@code c} (axis 0 fastest). */
  static int index(int[] c, int width) {
    int i = 0;
    for (int a = c.length - 1; a >= 0; a--) {
      i = i * width + c[a];
    }
    return i;
  }

  /** The pixel of flat index {@code i} (also the position of cell {@code i} of any box of side {@code width}). */
  static int[] pixel(int i, int width, int dims) {
    int[] c = new int[dims];
    for (int a = 0; a < dims; a++) {
      c[a] = i % width;
      i /= width;
    }
    return c;
  }

  /**
   * One beamformed IQ frame, {@code [2][width^dims]} (re, im) of the flow's bubbles plus noise at
   * {@code snrDb} (relative to a unit echo).
   */
  static double[][] frame(BubbleFlow flow, int width, int dims, double snrDb, SplittableRandom rnd) {
    int n = pixels(width, dims);
    double[][] iq = new double[2][n];
    int reach = 7;
    int box = (int) Math.pow(reach, dims);
    double[] d = new double[dims];
    int[] c = new int[dims];
    for (int b = 0; b < flow.count(); b++) {
      double[] p = flow.position(b);
      double a = flow.amplitude(b);
      double cos = Math.cos(flow.phase(b));
      double sin = Math.sin(flow.phase(b));
      for (int k = 0; k < box; k++) {
        boolean inside = true;
        int[] step = pixel(k, reach, dims);
        for (int ax = 0; ax < dims; ax++) {
          c[ax] = (int) Math.floor(p[ax]) - reach / 2 + step[ax];
          inside &= c[ax] >= 0 && c[ax] < width;
          d[ax] = c[ax] + 0.5 - p[ax];
        }
        if (!inside) {
          continue;
        }
        double[] h = psf(d);
        int i = index(c, width);
        iq[0][i] += a * (h[0] * cos - h[1] * sin);
        iq[1][i] += a * (h[0] * sin + h[1] * cos);
      }
    }
    double sigma = Math.pow(10, -snrDb / 20) / Math.sqrt(2);
    for (int i = 0; i < n; i++) {
      iq[0][i] += sigma * rnd.nextGaussian();
      iq[1][i] += sigma * rnd.nextGaussian();
    }
    return iq;
  }

  /** The planar frame of {@link #frame(BubbleFlow, int, int, double, SplittableRandom)}. */
  static double[][] frame(BubbleFlow flow, int width, double snrDb, SplittableRandom rnd) {
    return frame(flow, width, 2, snrDb, rnd);
  }

  /** The CorrMap of a frame: {@code c(x) = sum_w I(x+w) conj(P(w)) / sqrt(sum_w |I(x+w)|^2 sum_w |P(w)|^2)}, zero outside. */
  static float[][] corrMap(double[][] iq, int width, int dims) {
    int side = 2 * HALF_WINDOW + 1;
    int window = (int) Math.pow(side, dims);
    int[][] offsets = new int[window][dims];
    double[][] template = new double[2][window];
    double templateEnergy = 0;
    double[] d = new double[dims];
    for (int k = 0; k < window; k++) {
      int[] step = pixel(k, side, dims);
      for (int a = 0; a < dims; a++) {
        offsets[k][a] = step[a] - HALF_WINDOW;
        d[a] = offsets[k][a];
      }
      double[] h = psf(d);
      template[0][k] = h[0];
      template[1][k] = h[1];
      templateEnergy += h[0] * h[0] + h[1] * h[1];
    }
    int n = pixels(width, dims);
    float[][] c = new float[2][n];
    int[] at = new int[dims];
    for (int i = 0; i < n; i++) {
      int[] px = pixel(i, width, dims);
      double re = 0;
      double im = 0;
      double energy = 0;
      for (int k = 0; k < window; k++) {
        boolean inside = true;
        for (int a = 0; a < dims; a++) {
          at[a] = px[a] + offsets[k][a];
          inside &= at[a] >= 0 && at[a] < width;
        }
        if (!inside) {
          continue;
        }
        int j = index(at, width);
        double ir = iq[0][j];
        double ii = iq[1][j];
        double tr = template[0][k];
        double ti = template[1][k];
        re += ir * tr + ii * ti; // I * conj(P)
        im += ii * tr - ir * ti;
        energy += ir * ir + ii * ii;
      }
      double norm = Math.sqrt(energy * templateEnergy);
      c[0][i] = norm > 0 ? (float) (re / norm) : 0;
      c[1][i] = norm > 0 ? (float) (im / norm) : 0;
    }
    return c;
  }

  /** The planar CorrMap. */
  static float[][] corrMap(double[][] iq, int width) {
    return corrMap(iq, width, 2);
  }
}
