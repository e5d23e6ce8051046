package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Kernel maps built on the GPU (coords.cu through JCuda) against the host builder, for every case
 * of {@link KernelMapCases}; and a convolution on a device-built map uploads no pairs. Skips without
 * a GPU ({@link KernelMapKernelsOnCpuTest} runs the same kernels on the CPU).
 */
@EnabledIf(value = "org.jsparse.cuda.GpuTestBase#gpuPresent", disabledReason = "no CUDA device here")
class DeviceKernelMapTest {
  @Test
  void everyGeometryBuiltOnTheGpuEqualsTheHost() {
    try (Backend gpu = Backends.get("cuda", 0)) {
      for (KernelMapCases.Case c : KernelMapCases.all()) {
        try (CoordinateManager host = new CoordinateManager(c.dimension());
            CoordinateManager device = new CoordinateManager(c.dimension(), gpu)) {
          KernelMap expected = host.kernelMap(c.keyOf().apply(host, host.insert(c.coords(), TensorStride.uniform(c.dimension(), 1))));
          KernelMap actual = device.kernelMap(
              c.keyOf().apply(device, device.insert(c.coords(), TensorStride.uniform(c.dimension(), 1))));
          KernelMapCases.assertSameMap(c.name() + " on " + gpu.device(), expected, actual);
        }
      }
    }
  }

  @Test
  void aConvolutionOnADeviceBuiltMapUploadsNoPairsAndTheManagerCountsThem() {
    try (Backend gpu = Backends.get("cuda", 0);
        CoordinateManager cm = new CoordinateManager(3, gpu)) {
      CoordinateMapKey in = cm.insert(KernelMapCases.sites(3, 16, 0, 0.3, 9), TensorStride.uniform(3, 1));
      long before = cm.memory().current(MemoryCategory.KERNEL_MAPS);
      KernelMap map = cm.kernelMap(KernelMapCases.onItself(in, KernelRegion.cube(3, 3)));
      KernelMap full = map.expanded(null);
      long pairs = full.pairCount();
      if (full != map) {
        full.close();
      }
      assertTrue(cm.memory().current(MemoryCategory.KERNEL_MAPS) - before >= 8L * pairs,
          "the device pairs (8 bytes a pair) are counted in the manager's ledger");
      MemoryLedger op = new MemoryLedger("op");
      int rows = map.inRows();
      try (var x = gpu.zeros(op, MemoryCategory.FEATURES, "test", DataType.FLOAT, rows, 4);
          var w = gpu.zeros(op, MemoryCategory.PARAMETERS, "test", DataType.FLOAT, 27L * 4, 4);
          var y = gpu.zeros(op, MemoryCategory.FEATURES, "test", DataType.FLOAT, rows, 4)) {
        gpu.convolutionForward(x, w, map, y, op);
        assertEquals(0, op.current(MemoryCategory.KERNEL_MAPS), "the op found the pairs on the device");
      }
    }
  }

  @Test
  void stridedCoordinatesFoundOnTheGpuAreTheHostsInItsOrder() {
    try (Backend gpu = Backends.get("cuda", 0)) {
      for (int d = 1; d <= 4; d++) {
        org.jsparse.core.coords.Coordinates c = KernelMapCases.sites(d, d <= 2 ? 300 : 24, -7, 0.3, 40 + d);
        for (int t : new int[] {2, 3}) {
          int[] stride = new int[d];
          java.util.Arrays.fill(stride, t);
          try (CoordinateManager host = new CoordinateManager(d); CoordinateManager device = new CoordinateManager(d, gpu)) {
            CoordinateMapKey h = host.stride(host.insert(c, TensorStride.uniform(d, 1)), stride);
            CoordinateMapKey g = device.stride(device.insert(c, TensorStride.uniform(d, 1)), stride);
            assertEquals(host.coordinates(h), device.coordinates(g), d + "-D stride " + t + " on " + gpu.device());
          }
        }
      }
    }
  }
}
