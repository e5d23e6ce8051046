package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.KernelMapKey;
import org.jsparse.core.kmap.MapKind;
import org.jsparse.core.memory.MemoryLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What the GPU tests of the CUDA backend share: one backend and manager for a test class, a compact
 * submanifold and a strided kernel map on 3000 random sites, uploads that round FLOAT inputs as the
 * kernels see them, and comparisons against {@link HostReference}'s double results. Subclasses are
 * enabled by {@link #gpuPresent}; they use no ND4J array, so they run where ND4J's native library is
 * absent (the GPU machine: {@code sparse-cuda/gpu-check.sh}).
 */
abstract class GpuTestBase {
  static Backend gpu;
  static CoordinateManager cm;
  static KernelMap submanifold;
  static KernelMap strided;
  static CoordinateMapKey inKey;
  final MemoryLedger ledger = new MemoryLedger("test");

  /** True when the driver reports a device; otherwise says once why the GPU tests are skipped. */
  static boolean gpuPresent() {
    boolean present = CudaBackendProvider.GpuProbe.deviceCount() > 0;
    if (!present) {
      System.err.println("the GPU tests are skipped: " + CudaBackendProvider.GpuProbe.whyNone());
    }
    return present;
  }

  @BeforeAll
  static void openGpu() {
    gpu = Backends.get("cuda", 0);
    cm = new CoordinateManager(3, gpu);
    Random rnd = new Random(7);
    List<int[]> rows = new ArrayList<>();
    java.util.Set<List<Integer>> seen = new java.util.HashSet<>();
    while (rows.size() < 3000) {
      int[] r = {rnd.nextInt(2), rnd.nextInt(24) - 12, rnd.nextInt(24) - 12, rnd.nextInt(24) - 12};
      if (seen.add(List.of(r[0], r[1], r[2], r[3]))) {
        rows.add(r);
      }
    }
    CoordinateMapKey in = cm.insert(Coordinates.of(rows.toArray(new int[0][])), TensorStride.uniform(3, 1));
    inKey = in;
    CoordinateMapKey down = cm.stride(in, new int[] {2, 2, 2});
    submanifold = cm.kernelMap(new KernelMapKey(in, in, KernelRegion.cube(3, 3), TensorStride.uniform(3, 1),
        MapKind.CONVOLUTION));
    strided = cm.kernelMap(new KernelMapKey(in, down, KernelRegion.cube(3, 2), TensorStride.uniform(3, 2),
        MapKind.CONVOLUTION));
  }

  @AfterAll
  static void closeGpu() {
    if (cm != null) {
      cm.close();
      gpu.close();
    }
  }

  static double[] random(Random rnd, long n) {
    double[] v = new double[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextDouble() * 2 - 1;
    }
    return v;
  }

  Buffer up(double[] v, long rows, long cols, DataType type) {
    return TestValues.upload(gpu, ledger, v, rows, cols, type);
  }

  static double[] down(Buffer b) {
    return gpu.downloadDoubles(b);
  }

  /** FLOAT inputs are rounded to float before the reference sees them. */
  static double[] rounded(double[] v, DataType type) {
    if (type == DataType.DOUBLE) {
      return v.clone();
    }
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = (float) v[i];
    }
    return r;
  }

  static void close(double[] expected, Buffer actual, DataType type, String what) {
    double[] got = down(actual);
    assertEquals(expected.length, got.length, what + ": length");
    double tol = type == DataType.DOUBLE ? 1e-10 : 2e-4;
    for (int i = 0; i < got.length; i++) {
      double scale = Math.max(1, Math.abs(expected[i]));
      assertTrue(Math.abs(expected[i] - got[i]) <= tol * scale,
          what + " [" + i + "]: expected " + expected[i] + ", got " + got[i]);
    }
  }
}
