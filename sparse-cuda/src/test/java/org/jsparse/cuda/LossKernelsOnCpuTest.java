package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Random;
import java.util.Scanner;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.memory.MemoryLedger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The loss kernels (loss.cu), compiled for the CPU with g++ and run with a thread per CUDA thread
 * ({@code src/test/cpp/loss_emulation.cpp}, the launch sequence of {@link LossKernels}), give the
 * CPU backend's binary cross-entropy and its gradient, in float and double, with chunks that leave
 * a block's threads partly idle, empty chunks, and no positive label.
 */
class LossKernelsOnCpuTest {
  @TempDir static Path work;
  private static Path emulation;

  @BeforeAll
  static void compile() {
    emulation = KernelEmulation.compile(work, "loss_emulation");
  }

  @Test
  void binaryCrossEntropyEqualsTheCpu() {
    Assumptions.assumeTrue(emulation != null, "g++ or the kernel sources are missing: the CPU check of the CUDA kernels is skipped");
    // 5000 elements in 7 chunks (715 a block: threads with 2 or 3 elements); 100 in 128 (empty chunks)
    check(DataType.DOUBLE, 5000, 7, true);
    check(DataType.FLOAT, 5000, 7, true);
    check(DataType.DOUBLE, 100, CudaBackend.REDUCTION_BLOCKS, true);
    check(DataType.FLOAT, 999, 3, false);
  }

  private static void check(DataType type, int n, int blocks, boolean withPositives) {
    Random r = new Random(n * 31L + blocks);
    double[] z = TestValues.uniform(r, n, type);
    for (int i = 0; i < n; i++) {
      z[i] = type == DataType.FLOAT ? (float) (z[i] * 30) : z[i] * 30;
    }
    int[] positives = withPositives ? r.ints(n / 2, 0, n).distinct().toArray() : new int[0];
    double scale = 0.5 / n;
    Backend cpu = Backends.cpu();
    double sum;
    double[] grad;
    try (Buffer zb = TestValues.upload(cpu, null, z, n, 1, type); Buffer gb = TestValues.upload(cpu, null, new double[n], n, 1, type)) {
      sum = cpu.bceWithLogitsSum(zb, positives, new MemoryLedger("cpu"));
      cpu.bceWithLogitsBackward(zb, positives, scale, gb, new MemoryLedger("cpu"));
      grad = cpu.downloadDoubles(gb);
    }
    StringBuilder in = new StringBuilder();
    in.append(type == DataType.DOUBLE ? 1 : 0).append(' ').append(n).append(' ').append(positives.length).append(' ')
        .append(blocks).append(' ').append(scale).append('\n');
    for (double v : z) {
      in.append(v).append(' ');
    }
    for (int e : positives) {
      in.append(e).append(' ');
    }
    Scanner out = new Scanner(KernelEmulation.run(emulation, in.toString()));
    String what = type + " " + n + " elements in " + blocks + " chunks, " + positives.length + " positives";
    assertEquals(sum, Double.parseDouble(out.next()), 1e-12 * Math.abs(sum), what + ": the loss");
    for (int e = 0; e < n; e++) {
      int i = e;
      assertEquals(grad[i], Double.parseDouble(out.next()), type == DataType.DOUBLE ? 1e-16 : 1e-7 * scale,
          () -> what + ": gradient element " + i);
    }
  }
}
