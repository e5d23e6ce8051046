package org.jsparse.core.convert;

import org.jsparse.core.coords.Coordinates;

/**
 * Site sets of a scalar volume in C order {@code [z][y][x]}: voxels at or above a threshold, and
 * the one-voxel shell of that set (voxels with a 6-neighbour outside it), as batch-0 coordinate
 * rows {@code (0, z, y, x)}. Used to build real-occupancy inputs from CT and MRI volumes.
 */
public final class VolumeMasks {
  private VolumeMasks() {}

  /** Voxels with {@code value >= threshold}. */
  public static boolean[] atLeast(short[] values, int threshold) {
    boolean[] m = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      m[i] = values[i] >= threshold;
    }
    return m;
  }

  /** Voxels of the mask that have at least one 6-neighbour outside it (or on the volume border). */
  public static boolean[] shell(boolean[] mask, int[] shape) {
    boolean[] s = new boolean[mask.length];
    int nz = shape[0];
    int ny = shape[1];
    int nx = shape[2];
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          int i = (z * ny + y) * nx + x;
          if (mask[i]) {
            s[i] = z == 0 || z == nz - 1 || y == 0 || y == ny - 1 || x == 0 || x == nx - 1
                || !mask[i - 1] || !mask[i + 1] || !mask[i - nx] || !mask[i + nx]
                || !mask[i - nx * ny] || !mask[i + nx * ny];
          }
        }
      }
    }
    return s;
  }

  /** Coordinates {@code (batch, z, y, x)} of the true voxels, repeated for batch items 0..batches-1. */
  public static Coordinates coordinates(boolean[] mask, int[] shape, int batches) {
    int count = 0;
    for (boolean b : mask) {
      count += b ? 1 : 0;
    }
    int[] flat = new int[batches * count * 4];
    int r = 0;
    for (int b = 0; b < batches; b++) {
      for (int i = 0; i < mask.length; i++) {
        if (mask[i]) {
          flat[r * 4] = b;
          flat[r * 4 + 1] = i / (shape[1] * shape[2]);
          flat[r * 4 + 2] = (i / shape[2]) % shape[1];
          flat[r * 4 + 3] = i % shape[2];
          r++;
        }
      }
    }
    return Coordinates.adopt(3, flat);
  }
}
