package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The losses of the CUDA backend (loss.cu) against the per-element formula in Java doubles, in FLOAT
 * and DOUBLE, over more elements than the reduction's blocks, with logits far out on both sides and
 * with no positive label at all; and the threshold mask pruning reads (NaN never passes). Skips,
 * saying why, when no GPU is found; uses no ND4J array.
 */
@EnabledIf(value = "org.jsparse.cuda.GpuTestBase#gpuPresent", disabledReason = "no CUDA device here")
class CudaLossAndMaskTest extends GpuTestBase {
  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void binaryCrossEntropyOnLogitsAndItsGradient(DataType t) {
    Random rnd = new Random(23);
    int n = 100_003;
    double[] z = TestValues.uniform(rnd, n, t);
    for (int i = 0; i < n; i++) {
      z[i] = t == DataType.FLOAT ? (float) (z[i] * 40) : z[i] * 40; // past where e^-|z| underflows a float
    }
    boolean[] label = new boolean[n];
    int[] some = rnd.ints(n / 3, 0, n).distinct().toArray();
    for (int e : some) {
      label[e] = true;
    }
    MemoryLedger counted = new MemoryLedger(gpu.device());
    for (int[] positives : new int[][] {some, new int[0]}) {
      boolean[] l = positives.length == 0 ? new boolean[n] : label;
      double sum = 0;
      double[] grad = new double[n];
      double scale = 0.25 / n;
      for (int i = 0; i < n; i++) {
        sum += Math.max(z[i], 0) - (l[i] ? z[i] : 0) + Math.log1p(Math.exp(-Math.abs(z[i])));
        grad[i] = scale * (org.jsparse.core.backend.PointwiseFunction.sigmoid(z[i]) - (l[i] ? 1 : 0));
      }
      try (Buffer zb = TestValues.upload(gpu, counted, z, n, 1, t);
          Buffer gb = gpu.zeros(counted, MemoryCategory.GRADIENTS, "test", t, n, 1)) {
        double got = gpu.bceWithLogitsSum(zb, positives, counted);
        assertEquals(sum, got, 1e-10 * Math.abs(sum), t + " loss with " + positives.length + " positives");
        assertEquals(got, gpu.bceWithLogitsSum(zb, positives, counted), 0, "the same sum, bit for bit, when repeated");
        gpu.bceWithLogitsBackward(zb, positives, scale, gb, counted);
        double[] g = gpu.downloadDoubles(gb);
        double tol = t == DataType.DOUBLE ? 1e-15 : 1e-7 * scale;
        for (int i = 0; i < n; i++) {
          assertEquals(grad[i], g[i], tol, t + " gradient element " + i);
        }
        assertTrue(counted.peak(MemoryCategory.WORKSPACE) >= 4L * n, "the labels are counted as workspace");
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
            () -> gpu.bceWithLogitsSum(zb, new int[] {n}, counted));
        assertTrue(outside.getMessage().contains("positive label at element " + n), outside.getMessage());
        try (Buffer wrong = gpu.zeros(counted, MemoryCategory.GRADIENTS, "test", t, n - 1, 1)) {
          IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
              () -> gpu.bceWithLogitsBackward(zb, positives, scale, wrong, counted));
          assertTrue(e.getMessage().contains("elements"), e.getMessage());
        }
      }
    }
    assertEquals(0, counted.currentTotal(), "nothing left counted");
  }

  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void greaterThanMasksEveryElement(DataType t) {
    Random rnd = new Random(29);
    int rows = 70_001;
    double[] x = TestValues.uniform(rnd, 2L * rows, t);
    x[5] = Double.NaN;
    x[6] = 0.25; // exactly the threshold: not greater
    try (Buffer b = TestValues.upload(gpu, new MemoryLedger(gpu.device()), x, rows, 2, t)) {
      boolean[] mask = gpu.greaterThan(b, 0.25);
      assertEquals(x.length, mask.length);
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i] > 0.25, mask[i], t + " element " + i + " = " + x[i]);
      }
    }
  }
}
