package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strided coordinates of coords.cu (floor_keys, hash_insert, first_appearances and the one-offset
 * compaction), compiled for the CPU with g++ and run with real threads ({@link EmulatedKernelMaps}):
 * a manager whose backend strides that way gives a plain manager's rows, in the same order, for
 * isotropic, odd and anisotropic strides in 1 to 4 dimensions, negative coordinates and several
 * batch items, and strides again from a strided map; where a floor would leave the packable range
 * the device declines and the manager builds on the host (which widens its keys).
 */
class StridedCoordinatesOnCpuTest {
  @TempDir static Path work;
  private static EmulatedKernelMaps emulation;

  @BeforeAll
  static void compile() {
    emulation = EmulatedKernelMaps.compile(work);
  }

  @Test
  void theDeviceKeepsTheHostsRowsInTheHostsOrder() {
    Assumptions.assumeTrue(emulation != null, "g++ or the kernel sources are missing: the CPU check of the CUDA kernels is skipped");
    for (int d = 1; d <= 4; d++) {
      Coordinates c = KernelMapCases.sites(d, d <= 2 ? 40 : 9, -5, 0.4, 31 + d);
      for (int[] stride : new int[][] {uniform(d, 2), uniform(d, 3), anisotropic(d)}) {
        int before = emulation.stridedAnswers;
        try (CoordinateManager host = new CoordinateManager(d);
            CoordinateManager onDevice = new CoordinateManager(d, emulation.backend())) {
          CoordinateMapKey h = host.stride(host.insert(c, TensorStride.uniform(d, 1)), stride);
          CoordinateMapKey g = onDevice.stride(onDevice.insert(c, TensorStride.uniform(d, 1)), stride);
          assertEquals(before + 1, emulation.stridedAnswers, "the manager asked the device");
          String what = d + "-D stride " + java.util.Arrays.toString(stride);
          assertEquals(host.coordinates(h), onDevice.coordinates(g), what);
          CoordinateMapKey h2 = host.stride(h, uniform(d, 2));
          CoordinateMapKey g2 = onDevice.stride(g, uniform(d, 2));
          assertEquals(host.coordinates(h2), onDevice.coordinates(g2), what + " then 2");
          assertEquals(host.rowOf(h2, host.row(h2, 0)), onDevice.rowOf(g2, onDevice.row(g2, 0)),
              "the hash the manager makes on first lookup finds the rows");
        }
      }
    }
  }

  @Test
  void aFloorOutsideThePackableRangeGoesToTheHostWhichWidens() {
    Assumptions.assumeTrue(emulation != null, "g++ or the kernel sources are missing: the CPU check of the CUDA kernels is skipped");
    int lowest = -(1 << 17); // the 3-D packer's 18-bit axis field
    Coordinates c = Coordinates.of(new int[] {0, lowest + 1, 0, 0}, new int[] {0, 4, 4, 4}, new int[] {0, 5, 4, 3});
    int declined = emulation.stridedDeclined;
    try (CoordinateManager host = new CoordinateManager(3);
        CoordinateManager onDevice = new CoordinateManager(3, emulation.backend())) {
      CoordinateMapKey h = host.stride(host.insert(c, TensorStride.uniform(3, 1)), new int[] {3, 3, 3});
      CoordinateMapKey g = onDevice.stride(onDevice.insert(c, TensorStride.uniform(3, 1)), new int[] {3, 3, 3});
      assertEquals(host.coordinates(h), onDevice.coordinates(g), "the floor below the packed range, in wide keys");
      assertEquals(Math.floorDiv(lowest + 1, 3) * 3, onDevice.row(g, 0)[1]);
    }
    assertEquals(declined + 1, emulation.stridedDeclined, "the device declined");
  }

  private static int[] uniform(int d, int t) {
    int[] s = new int[d];
    java.util.Arrays.fill(s, t);
    return s;
  }

  private static int[] anisotropic(int d) {
    int[] s = new int[d];
    for (int a = 0; a < d; a++) {
      s[a] = 1 + a % 3;
    }
    s[0] = Math.max(s[0], 2);
    return s;
  }
}
