package org.jsparse.examples.ulm;

/**
 * Conventional ULM, the baseline: in every frame, the local maxima of the CorrMap power
 * {@code |c|^2} above a threshold (strictly above their 3^dims - 1 neighbours), refined to sub-pixel
 * precision by the power-weighted centroid of their 3^dims neighbourhood, marked on the fine grid.
 * No tracking: each frame's localizations are accumulated as they are.
 */
public final class Localization {
  private Localization() {}

  /** Adds the localizations of every frame of {@code w} to {@code into}; returns how many there were. */
  public static int localize(UlmWindow w, double threshold, Angiogram into) {
    int width = w.width();
    int dims = w.dims();
    int n = Echoes.pixels(width, dims);
    int box = (int) Math.pow(3, dims);
    int[] q = new int[dims];
    int found = 0;
    for (int t = 0; t < w.frames(); t++) {
      for (int i = 0; i < n; i++) {
        double p = w.power(t, i);
        if (p <= threshold) {
          continue;
        }
        int[] px = Echoes.pixel(i, width, dims);
        double sum = 0;
        double[] centroid = new double[dims];
        boolean peak = true;
        for (int k = 0; k < box && peak; k++) {
          boolean inside = true;
          boolean centre = true;
          int[] step = Echoes.pixel(k, 3, dims);
          for (int a = 0; a < dims; a++) {
            int d = step[a] - 1;
            q[a] = px[a] + d;
            inside &= q[a] >= 0 && q[a] < width;
            centre &= d == 0;
          }
          if (!inside) {
            continue;
          }
          double v = w.power(t, q);
          if (!centre && v >= p) {
            peak = false;
          }
          sum += v;
          for (int a = 0; a < dims; a++) {
            centroid[a] += v * (q[a] - px[a]);
          }
        }
        if (!peak) {
          continue;
        }
        int[] fine = new int[dims];
        for (int a = 0; a < dims; a++) {
          fine[a] = (int) Math.floor((px[a] + 0.5 + centroid[a] / sum) * UlmWindow.SCALE);
        }
        into.mark(fine);
        found++;
      }
    }
    return found;
  }
}
