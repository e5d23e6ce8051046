package org.jsparse.examples.ct;

import it.unimi.dsi.fastutil.ints.IntArrayFIFOQueue;
import org.jsparse.core.convert.VolumeMasks;

/**
 * Binary morphology on row-major {@code [z][y][x]} masks with the 6-connected cross as the
 * structuring element, as scipy.ndimage's defaults: the largest connected component and the
 * opening (erosion, then dilation), the seed's post-processing of a predicted implant.
 */
public final class Morphology {
  private Morphology() {}

  /** The largest 6-connected component of a mask (ties: the first found in row-major order). */
  public static boolean[] largestComponent(boolean[] mask, int[] shape) {
    int[] label = new int[mask.length];
    int best = 0;
    int bestSize = 0;
    int next = 0;
    IntArrayFIFOQueue queue = new IntArrayFIFOQueue(); // no boxed Integer per voxel
    int sy = shape[2];
    int sz = shape[1] * shape[2];
    for (int start = 0; start < mask.length; start++) {
      if (!mask[start] || label[start] != 0) {
        continue;
      }
      next++;
      int size = 0;
      label[start] = next;
      queue.enqueue(start);
      while (!queue.isEmpty()) {
        int i = queue.dequeueInt();
        size++;
        int z = i / sz;
        int y = (i / sy) % shape[1];
        int x = i % sy;
        int[] nb = {
            z > 0 ? i - sz : -1, z < shape[0] - 1 ? i + sz : -1,
            y > 0 ? i - sy : -1, y < shape[1] - 1 ? i + sy : -1,
            x > 0 ? i - 1 : -1, x < shape[2] - 1 ? i + 1 : -1};
        for (int j : nb) {
          if (j >= 0 && mask[j] && label[j] == 0) {
            label[j] = next;
            queue.enqueue(j);
          }
        }
      }
      if (size > bestSize) {
        bestSize = size;
        best = next;
      }
    }
    boolean[] out = new boolean[mask.length];
    for (int i = 0; i < mask.length; i++) {
      out[i] = label[i] == best && best != 0;
    }
    return out;
  }

  /** Erosion then dilation with the cross; voxels outside the volume count as empty. */
  public static boolean[] opening(boolean[] mask, int[] shape) {
    return dilate(erode(mask, shape), shape);
  }

  /** Voxels of the mask whose six neighbours are all in it. */
  public static boolean[] erode(boolean[] mask, int[] shape) {
    boolean[] edge = VolumeMasks.shell(mask, shape);
    boolean[] out = new boolean[mask.length];
    for (int i = 0; i < mask.length; i++) {
      out[i] = mask[i] && !edge[i];
    }
    return out;
  }

  /** Voxels of the mask and their six neighbours. */
  public static boolean[] dilate(boolean[] mask, int[] shape) {
    int nz = shape[0];
    int ny = shape[1];
    int nx = shape[2];
    boolean[] out = new boolean[mask.length];
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          int i = (z * ny + y) * nx + x;
          out[i] = mask[i] || x > 0 && mask[i - 1] || x < nx - 1 && mask[i + 1] || y > 0 && mask[i - nx]
              || y < ny - 1 && mask[i + nx] || z > 0 && mask[i - nx * ny] || z < nz - 1 && mask[i + nx * ny];
        }
      }
    }
    return out;
  }
}
