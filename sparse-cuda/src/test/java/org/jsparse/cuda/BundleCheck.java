package org.jsparse.cuda;

import org.jsparse.core.backend.Backends;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.KernelMapKey;
import org.jsparse.core.kmap.MapKind;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A preflight of the GPU bundle's class path, run by {@code gpu-check.sh} before the tests (and
 * here, where it proves the bundle without a GPU): the data types, a manager, kernel maps and their
 * expansion load and work without ND4J's native library.
 */
public final class BundleCheck {
  private BundleCheck() {}

  public static void main(String[] args) {
    int width = DataType.FLOAT.width() + DataType.DOUBLE.width();
    try (CoordinateManager cm = new CoordinateManager(3, Backends.cpu())) {
      CoordinateMapKey in = cm.insert(Coordinates.of(new int[] {0, 0, 0, 0}, new int[] {0, 1, 0, 0}, new int[] {0, 5, 5, 5}),
          TensorStride.uniform(3, 1));
      KernelMap map = cm.kernelMap(new KernelMapKey(in, in, KernelRegion.cube(3, 3), TensorStride.uniform(3, 1),
          MapKind.CONVOLUTION));
      int[][][] pairs = HostReference.pairs(map.expanded(null));
      int total = 0;
      for (int[][] offset : pairs) {
        total += offset[0].length;
      }
      if (width != 12 || total != 5) {
        throw new IllegalStateException("bundle check: widths " + width + ", pairs " + total + " (expected 12 and 5)");
      }
      System.out.println("bundle check: class path complete (data types, manager, kernel maps: " + total + " pairs)");
    }
  }
}
