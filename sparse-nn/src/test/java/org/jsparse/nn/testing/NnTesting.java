package org.jsparse.nn.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Random sparse inputs and a double-precision finite-difference check of whole forward passes. */
public final class NnTesting {
  private NnTesting() {}

  /** Uniform(-1, 1) DOUBLE entries. */
  public static INDArray uniform(Random rnd, long... shape) {
    INDArray a = Nd4j.create(DataType.DOUBLE, shape);
    for (long i = 0; i < a.length(); i++) {
      a.putScalar(i, rnd.nextDouble() * 2 - 1);
    }
    return a;
  }

  /** {@code n} distinct random sites in two batch items, coordinates in [0, extent) at stride 1. */
  public static Coordinates randomCoordinates(Random rnd, int dimension, int n, int extent) {
    if (n > 2 * Math.pow(extent, dimension)) {
      throw new IllegalArgumentException(n + " distinct sites do not fit in 2 x " + extent + "^" + dimension);
    }
    Set<List<Integer>> seen = new HashSet<>();
    int[][] rows = new int[n][];
    int k = 0;
    while (k < n) {
      int[] r = new int[dimension + 1];
      r[0] = rnd.nextInt(2);
      for (int a = 1; a <= dimension; a++) {
        r[a] = rnd.nextInt(extent);
      }
      if (seen.add(Arrays.stream(r).boxed().toList())) {
        rows[k++] = r;
      }
    }
    return Coordinates.of(rows);
  }

  /** A DOUBLE tensor on random sites. */
  public static SparseTensor randomTensor(CoordinateManager cm, Random rnd, int n, int channels, int extent) {
    Coordinates c = randomCoordinates(rnd, cm.dimension(), n, extent);
    return SparseTensor.create(cm, c, TensorStride.uniform(cm.dimension(), 1), uniform(rnd, c.size(), channels));
  }

  /**
   * Checks the gradients that {@code forward} gives every variable in {@code wrt} against central
   * differences of {@code sum(forward() * R)} for a fixed random R; forward is re-run under NoGrad
   * for every perturbation, so it must be deterministic.
   */
  public static void checkGradients(Supplier<Variable> forward, List<Variable> wrt, String what) {
    Random rnd = new Random(7);
    wrt.forEach(Variable::zeroGrad);
    Variable out = forward.get();
    INDArray r = uniform(rnd, out.data().shape());
    out.backward(r.castTo(out.data().dataType()));
    double eps = 1e-6;
    for (int v = 0; v < wrt.size(); v++) {
      Variable p = wrt.get(v);
      INDArray analytic = p.grad();
      assertTrue(analytic != null, what + ": no gradient reached input " + v);
      INDArray flat = p.data().reshape(p.data().length());
      INDArray g = analytic.reshape(analytic.length());
      double maxAbs = 0;
      for (long i = 0; i < flat.length(); i++) {
        double x0 = flat.getDouble(i);
        flat.putScalar(i, x0 + eps);
        double up = objective(forward, r);
        flat.putScalar(i, x0 - eps);
        double down = objective(forward, r);
        flat.putScalar(i, x0);
        double numeric = (up - down) / (2 * eps);
        maxAbs = Math.max(maxAbs, Math.abs(g.getDouble(i)));
        assertEquals(numeric, g.getDouble(i), 1e-5 * Math.max(1, Math.abs(numeric)),
            what + ": input " + v + " entry " + i);
      }
      assertTrue(maxAbs > 0, what + ": gradient of input " + v + " is identically zero; the check would prove nothing");
    }
  }

  private static double objective(Supplier<Variable> forward, INDArray r) {
    try (NoGrad ng = NoGrad.enter()) {
      INDArray y = forward.get().data();
      return y.castTo(DataType.DOUBLE).mul(r).sumNumber().doubleValue();
    }
  }

  /** A hollow sphere shell of radius r (a toy skull), optionally with a cap cut away (the input), batch 0. */
  public static java.util.List<int[]> shell(int r, int center, boolean cut) {
    java.util.List<int[]> rows = new java.util.ArrayList<>();
    for (int x = 0; x < 2 * center; x++) {
      for (int y = 0; y < 2 * center; y++) {
        for (int z = 0; z < 2 * center; z++) {
          double d = Math.sqrt(Math.pow(x - center, 2) + Math.pow(y - center, 2) + Math.pow(z - center, 2));
          if (Math.abs(d - r) < 0.8 && !(cut && z > center + r / 2)) {
            rows.add(new int[] {0, x, y, z});
          }
        }
      }
    }
    return rows;
  }
}
