package org.jsparse.examples.ulm;

/**
 * Conventional ULM, the baseline: in every frame, the local maxima of the CorrMap power
 * {@code |c|^2} above a threshold (strictly above their 8 neighbours), refined to sub-pixel
 * precision by the power-weighted centroid of their 3x3 neighbourhood, marked on the fine grid.
 * No tracking: each frame's localizations are accumulated as they are.
 */
public final class Localization {
  private Localization() {}

  /** Adds the localizations of every frame of {@code w} to {@code into}; returns how many there were. */
  public static int localize(UlmWindow w, double threshold, Angiogram into) {
    int n = w.width();
    int found = 0;
    for (int t = 0; t < w.frames(); t++) {
      for (int z = 0; z < n; z++) {
        for (int x = 0; x < n; x++) {
          double p = w.power(t, x, z);
          if (p <= threshold || !isPeak(w, t, x, z, p)) {
            continue;
          }
          double sum = 0;
          double cx = 0;
          double cz = 0;
          for (int dz = -1; dz <= 1; dz++) {
            for (int dx = -1; dx <= 1; dx++) {
              int xx = x + dx;
              int zz = z + dz;
              if (xx >= 0 && zz >= 0 && xx < n && zz < n) {
                double q = w.power(t, xx, zz);
                sum += q;
                cx += q * dx;
                cz += q * dz;
              }
            }
          }
          double px = x + 0.5 + cx / sum;
          double pz = z + 0.5 + cz / sum;
          into.mark((int) Math.floor(px * UlmWindow.SCALE), (int) Math.floor(pz * UlmWindow.SCALE));
          found++;
        }
      }
    }
    return found;
  }

  private static boolean isPeak(UlmWindow w, int t, int x, int z, double p) {
    for (int dz = -1; dz <= 1; dz++) {
      for (int dx = -1; dx <= 1; dx++) {
        int xx = x + dx;
        int zz = z + dz;
        if ((dx != 0 || dz != 0) && xx >= 0 && zz >= 0 && xx < w.width() && zz < w.width()
            && w.power(t, xx, zz) >= p) {
          return false;
        }
      }
    }
    return true;
  }
}
