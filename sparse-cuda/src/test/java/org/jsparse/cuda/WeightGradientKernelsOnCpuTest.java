package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import java.util.Scanner;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.MemoryLedger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The tiled convolution weight gradient (weight_gradient.cu), compiled for the CPU with g++ and run
 * with a thread per CUDA thread ({@code src/test/cpp/weight_gradient_emulation.cpp}, the launch
 * sequence of {@link MapOps#convolutionWeightGradient}): it equals the CPU backend for every geometry
 * of {@link ConvolutionKernelsOnCpuTest}, with partial [Cin, Cout] tiles, in float and double, and in
 * double it is bit for bit the fixed-order sum it promises (each chunk's pairs in order, then the
 * chunks in order), with chunks of several staged batches of pairs and with empty chunks.
 */
class WeightGradientKernelsOnCpuTest {
  @TempDir static Path work;
  private static Path emulation;

  @BeforeAll
  static void compile() {
    emulation = KernelEmulation.compile(work, "weight_gradient_emulation");
  }

  @Test
  void everyGeometryEqualsTheCpuAndTheFixedOrderSum() {
    Assumptions.assumeTrue(emulation != null, "g++ or the kernel sources are missing: the CPU check of the CUDA kernels is skipped");
    for (ConvolutionKernelsOnCpuTest.Geometry g : ConvolutionKernelsOnCpuTest.geometries()) {
      try (CoordinateManager cm = new CoordinateManager(3)) {
        KernelMap map = cm.kernelMap(g.keyOf().apply(cm, cm.insert(g.coords(), TensorStride.uniform(3, 1))));
        KernelMap full = map.expanded(null);
        int most = 0;
        for (int k = 0; k < full.volume(); k++) {
          most = Math.max(most, full.pairCount(k));
        }
        if (g.name().startsWith("submanifold")) {
          assertTrue(most > 2 * 32, g.name() + ": an offset with more pairs than two staged batches of a chunk");
        }
        // 19 x 37: one partial row tile, two column tiles; 40 x 33: four partial tiles.
        // 2 or 3 chunks: several staged batches a chunk; the strided map's small offsets in the
        // launch's 128 chunks: chunks of one pair and empty ones (which write zeros).
        check(g.name(), full, DataType.DOUBLE, 19, 37, 2);
        check(g.name(), full, DataType.FLOAT, 40, 33, 3);
        if (g.name().startsWith("strided")) {
          check(g.name(), full, DataType.DOUBLE, 19, 37, CudaBackend.REDUCTION_BLOCKS);
        }
        if (full != map) {
          full.close();
        }
      }
    }
  }

  private static void check(String name, KernelMap map, DataType type, int cin, int cout, int blocks) {
    int volume = map.volume();
    Random r = new Random(name.hashCode() * 31L + cin * 7L + blocks);
    double[] x = TestValues.uniform(r, (long) map.inRows() * cin, type);
    double[] g = TestValues.uniform(r, (long) map.outRows() * cout, type);
    double[] gw = TestValues.uniform(r, (long) volume * cin * cout, type);
    Backend cpu = Backends.cpu();
    double[] expected;
    try (Buffer xb = TestValues.upload(cpu, null, x, map.inRows(), cin, type);
        Buffer gb = TestValues.upload(cpu, null, g, map.outRows(), cout, type);
        Buffer wb = TestValues.upload(cpu, null, gw, (long) volume * cin, cout, type)) {
      cpu.convolutionBackwardWeight(xb, gb, map, wb, new MemoryLedger("cpu"));
      expected = cpu.downloadDoubles(wb);
    }
    StringBuilder in = new StringBuilder();
    in.append(type == DataType.DOUBLE ? 1 : 0).append(' ').append(map.inRows()).append(' ').append(cin).append(' ')
        .append(map.outRows()).append(' ').append(cout).append(' ').append(volume).append(' ').append(blocks).append('\n');
    for (int k = 0; k <= volume; k++) {
      in.append(k == volume ? map.pairCount() : map.start(k)).append(' ');
    }
    for (int p = 0; p < map.pairCount(); p++) {
      in.append(map.inRow(p)).append(' ');
    }
    for (int p = 0; p < map.pairCount(); p++) {
      in.append(map.outRow(p)).append(' ');
    }
    for (double[] v : new double[][] {x, g, gw}) {
      for (double e : v) {
        in.append(e).append(' ');
      }
    }
    Scanner out = new Scanner(KernelEmulation.run(emulation, in.toString()));
    double[] ordered = type == DataType.DOUBLE ? fixedOrderSum(map, x, cin, g, cout, gw, blocks) : null;
    for (int e = 0; e < expected.length; e++) {
      int i = e;
      double actual = Double.parseDouble(out.next());
      String what = name + " " + type + " " + cin + "x" + cout + " in " + blocks + " chunks: element " + i;
      double tolerance = (type == DataType.DOUBLE ? 1e-12 : 1e-5) * Math.sqrt(map.pairCount());
      assertEquals(expected[i], actual, tolerance * (1 + Math.abs(expected[i])), () -> what + " against the CPU");
      if (ordered != null) {
        assertEquals(ordered[i], actual, 0, () -> what + " against the fixed-order sum");
      }
    }
  }

  /** What the kernels promise, in Java doubles: per offset and value, each chunk summed in pair order, then the chunks in order. */
  private static double[] fixedOrderSum(KernelMap map, double[] x, int cin, double[] g, int cout, double[] gw, int blocks) {
    double[] result = gw.clone();
    for (int k = 0; k < map.volume(); k++) {
      int n = map.pairCount(k);
      if (n == 0) {
        continue;
      }
      long chunk = (n + blocks - 1) / blocks;
      for (int j = 0; j < cin; j++) {
        for (int c = 0; c < cout; c++) {
          double s = 0;
          for (int b = 0; b < blocks; b++) {
            double partial = 0;
            for (long p = b * chunk; p < Math.min(n, (b + 1) * chunk); p++) {
              int pair = map.start(k) + (int) p;
              partial += x[map.inRow(pair) * cin + j] * g[map.outRow(pair) * cout + c];
            }
            s += partial;
          }
          result[(k * cin + j) * cout + c] += s;
        }
      }
    }
    return result;
  }
}
