package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.KernelMapKey;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA kernels that build kernel maps (coords.cu: hash insert and query, neighbour table, chunk
 * counts, scan, compaction), compiled for the CPU with g++ and run with real threads
 * ({@link EmulatedKernelMaps}), give every geometry's map the host builder gives: a manager whose
 * backend builds maps that way against a plain manager, pair for pair per offset, in output-row
 * order within an offset. Skips where g++ is missing. On a GPU, CudaBackendTest checks the same
 * kernels through JCuda.
 */
class KernelMapKernelsOnCpuTest {
  @TempDir static Path work;
  private static EmulatedKernelMaps emulation;

  @BeforeAll
  static void compile() {
    emulation = EmulatedKernelMaps.compile(work);
  }

  private static EmulatedKernelMaps emulation() {
    Assumptions.assumeTrue(emulation != null, "g++ is not on the PATH: the CPU check of the CUDA kernels is skipped");
    return emulation;
  }

  /** The maps two managers give for the same coordinates and the key {@code keyOf} makes of each's input map. */
  private static void sameMaps(String name, int d, Coordinates coords, BiFunction<CoordinateManager, CoordinateMapKey, KernelMapKey> keyOf) {
    EmulatedKernelMaps device = emulation();
    int before = device.answers.size();
    try (CoordinateManager host = new CoordinateManager(d);
        CoordinateManager onDevice = new CoordinateManager(d, device.backend())) {
      KernelMap expected = host.kernelMap(keyOf.apply(host, host.insert(coords, TensorStride.uniform(d, 1))));
      KernelMap actual = onDevice.kernelMap(keyOf.apply(onDevice, onDevice.insert(coords, TensorStride.uniform(d, 1))));
      assertEquals(before + 1, device.answers.size(), "the manager asked the device builder once");
      KernelMapCases.assertSameMap(name, expected, actual);
      EmulatedKernelMaps.Answer answer = device.answers.get(device.answers.size() - 1);
      checkAnswer(answer);
    }
  }

  /** The device's own order (outputs rise within an offset) and its plain hash query against a Java map. */
  private static void checkAnswer(EmulatedKernelMaps.Answer a) {
    for (int k = 0; k < a.query().volume(); k++) {
      for (int p = a.starts()[k] + 1; p < a.starts()[k + 1]; p++) {
        assertTrue(a.outs()[p] > a.outs()[p - 1], "outputs rise within offset " + k);
      }
    }
    Map<Long, Integer> rowOf = new HashMap<>();
    long[] in = a.query().inKeys();
    for (int r = 0; r < in.length; r++) {
      rowOf.putIfAbsent(in[r], r);
    }
    long[] out = a.query().outKeys();
    for (int o = 0; o < out.length; o++) {
      assertEquals(rowOf.getOrDefault(out[o], -1), a.found()[o], "hash query of output " + o);
    }
  }

  @Test
  void everyGeometryEqualsTheHost() {
    for (KernelMapCases.Case c : KernelMapCases.all()) {
      sameMaps(c.name(), c.dimension(), c.coords(), c.keyOf());
    }
  }

  @Test
  void everyDeviceMapIsAttachedToTheHostMapItBecame() {
    EmulatedKernelMaps device = emulation();
    int before = device.attached;
    sameMaps("submanifold 3^2", 2, KernelMapCases.sites(2, 20, 0, 0.4, 3), (cm, in) -> KernelMapCases.onItself(in, KernelRegion.cube(2, 3)));
    assertEquals(before + 1, device.attached);
  }
}
