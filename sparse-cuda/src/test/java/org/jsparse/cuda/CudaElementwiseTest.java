package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.backend.PointwiseFunction;
import org.jsparse.core.memory.MemoryCategory;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The CUDA backend's dropout masks, row and column ops, arithmetic, every activation with its
 * derivative and the dense GEMM in every transpose combination, against plain Java in double.
 */
@EnabledIf(value = "org.jsparse.cuda.GpuTestBase#gpuPresent", disabledReason = "no CUDA device here")
class CudaElementwiseTest extends GpuTestBase {
  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void dropoutDrawsDropoutMasksBitsAndRunsInPlace(DataType t) {
    double[] a = rounded(random(new Random(4), 3001L * 5), t);
    double p = 0.3;
    long key = org.jsparse.core.backend.DropoutMask.key(42);
    double[] e = new double[a.length];
    int dropped = 0;
    for (int i = 0; i < a.length; i++) {
      boolean d = org.jsparse.core.backend.DropoutMask.dropped(key, i, p);
      dropped += d ? 1 : 0;
      e[i] = d ? 0 : t == DataType.FLOAT ? (float) (1 / (1 - p) * a[i]) : 1 / (1 - p) * a[i];
    }
    assertTrue(Math.abs(dropped / (double) a.length - p) < 0.02, "about p of the elements dropped: " + dropped);
    try (Buffer ab = up(a, 3001, 5, t); Buffer out = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, 3001, 5)) {
      gpu.dropout(ab, 42, p, out);
      assertArrayEquals(e, down(out), "the CPU's mask and scaling, bit for bit");
      gpu.dropout(ab, 42, p, ab);
      assertArrayEquals(e, down(ab), "in place");
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void rowsColumnsAndArithmetic(DataType t) {
    Random rnd = new Random(9);
    int rows = 1000;
    int cols = 7;
    double[] a = rounded(random(rnd, (long) rows * cols), t);
    double[] b = rounded(random(rnd, (long) rows * cols), t);
    double[] v = rounded(random(rnd, cols), t);
    int[] pick = new int[300];
    for (int i = 0; i < pick.length; i++) {
      pick[i] = rnd.nextInt(rows); // repeats, for the scatter
    }
    try (Buffer ab = up(a, rows, cols, t); Buffer bb = up(b, rows, cols, t); Buffer vb = up(v, 1, cols, t);
        Buffer out = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, rows, cols);
        Buffer gathered = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, pick.length, cols);
        Buffer wide = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, rows, 10)) {
      gpu.add(ab, bb, -0.5, out);
      double[] e = new double[a.length];
      for (int i = 0; i < e.length; i++) {
        e[i] = a[i] - 0.5 * b[i];
      }
      close(e, out, t, "add");
      gpu.multiply(ab, bb, out);
      for (int i = 0; i < e.length; i++) {
        e[i] = a[i] * b[i];
      }
      close(e, out, t, "multiply");
      gpu.scale(ab, 3, out);
      gpu.addRowVector(vb, out);
      for (int i = 0; i < e.length; i++) {
        e[i] = 3 * a[i] + v[i % cols];
      }
      close(e, out, t, "scale and add a row vector");
      gpu.gatherRows(ab, pick, gathered);
      double[] eg = new double[pick.length * cols];
      for (int r = 0; r < pick.length; r++) {
        System.arraycopy(a, pick[r] * cols, eg, r * cols, cols);
      }
      close(eg, gathered, t, "gather rows");
      gpu.scale(out, 0, out);
      gpu.scatterAddRows(gathered, pick, out, 2);
      double[] es = new double[a.length];
      for (int r = 0; r < pick.length; r++) {
        for (int j = 0; j < cols; j++) {
          es[pick[r] * cols + j] += 2 * eg[r * cols + j];
        }
      }
      close(es, out, t, "scatter-add rows (repeated rows)");
      double[] once = down(out);
      gpu.scale(out, 0, out);
      gpu.scatterAddRows(gathered, pick, out, 2);
      assertArrayEquals(once, down(out), 0, "scatter-add is deterministic: the same bits when run again");
      gpu.copyColumns(ab, 0, wide, 3, cols);
      double[] ew = new double[rows * 10];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(a, r * cols, ew, r * 10 + 3, cols);
      }
      close(ew, wide, t, "copy columns");
      double[] sums = new double[cols];
      gpu.columnSums(ab, sums);
      double[] es2 = new double[cols];
      for (int i = 0; i < a.length; i++) {
        es2[i % cols] += a[i];
      }
      assertArrayEquals(es2, sums, 1e-9, "column sums");
      assertEquals(-1, gpu.firstNonFiniteRow(ab));
      double[] withNan = a.clone();
      withNan[41 * cols + 2] = Double.NaN;
      withNan[700 * cols] = Double.POSITIVE_INFINITY;
      try (Buffer nb = up(withNan, rows, cols, t)) {
        assertEquals(41, gpu.firstNonFiniteRow(nb));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void everyActivationAndItsDerivative(DataType t) {
    Random rnd = new Random(11);
    int n = 5000;
    double[] x = rounded(random(rnd, n), t);
    for (int i = 0; i < n; i++) {
      x[i] *= 6;
    }
    x = rounded(x, t);
    double[] g = rounded(random(rnd, n), t);
    for (PointwiseFunction.Kind kind : PointwiseFunction.Kind.values()) {
      PointwiseFunction f = PointwiseFunction.of(kind);
      try (Buffer xb = up(x, n, 1, t); Buffer gb = up(g, n, 1, t);
          Buffer y = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, n, 1);
          Buffer gin = gpu.zeros(ledger, MemoryCategory.GRADIENTS, "test", t, n, 1)) {
        gpu.pointwise(f, xb, y);
        double[] ey = new double[n];
        double[] eAtInput = new double[n];
        for (int i = 0; i < n; i++) {
          ey[i] = f.value(x[i]);
          eAtInput[i] = g[i] * f.derivativeAtInput(x[i]);
        }
        close(ey, y, t, kind + " forward");
        gpu.pointwiseBackward(f, gb, xb, false, gin);
        close(eAtInput, gin, t, kind + " derivative from the input");
        if (f.derivativeFromOutput()) {
          double[] yv = down(y);
          double[] eAtOutput = new double[n];
          for (int i = 0; i < n; i++) {
            eAtOutput[i] = g[i] * f.derivativeAtOutput(yv[i]);
          }
          gpu.pointwiseBackward(f, gb, y, true, gin);
          close(eAtOutput, gin, t, kind + " derivative from the output");
        } else {
          assertThrows(IllegalStateException.class, () -> gpu.pointwiseBackward(f, gb, y, true, gin));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void gemmInEveryTransposeCombination(DataType t) {
    Random rnd = new Random(13);
    int m = 37;
    int n = 29;
    int k = 45;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        double[] a = rounded(random(rnd, (long) m * k), t);
        double[] b = rounded(random(rnd, (long) k * n), t);
        double[] c = rounded(random(rnd, (long) m * n), t);
        try (Buffer ab = up(a, ta ? k : m, ta ? m : k, t); Buffer bb = up(b, tb ? n : k, tb ? k : n, t);
            Buffer cb = up(c, m, n, t)) {
          gpu.gemm(ab, ta, bb, tb, 0.5, cb);
          double[] e = c.clone();
          HostReference.gemm(a, ta ? m : k, ta, b, tb ? k : n, tb, 0.5, e, m, n, k);
          close(e, cb, t, "gemm ta=" + ta + " tb=" + tb);
        }
      }
    }
  }
}
