package org.jsparse.nn.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.functional.Activations;
import org.jsparse.nn.functional.Losses;
import org.jsparse.nn.functional.SparseFunctions;
import org.jsparse.nn.testing.NnTesting;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AutogradTest {
  private final Random rnd = new Random(42);

  private INDArray uniform(long... shape) {
    INDArray a = Nd4j.create(DataType.DOUBLE, shape);
    for (long i = 0; i < a.length(); i++) {
      a.putScalar(i, rnd.nextDouble() * 2 - 1);
    }
    return a;
  }

  private SparseTensor input(CoordinateManager cm) {
    int[][] rows = new int[40][];
    int n = 0;
    for (int i = 0; n < rows.length; i++) {
      int[] r = {i % 2, (i * 7) % 9 - 4, (i * 5) % 7 - 3, (i * 3) % 6};
      boolean dup = false;
      for (int j = 0; j < n; j++) {
        dup |= java.util.Arrays.equals(rows[j], r);
      }
      if (!dup) {
        rows[n++] = r;
      }
    }
    Coordinates c = Coordinates.of(rows);
    return SparseTensor.create(cm, c, TensorStride.uniform(3, 1), uniform(c.size(), 2));
  }

  /** A small U-Net-shaped graph: conv, relu, down, up (transposed), skip concat, conv, mse. */
  private Variable network(Variable x, Variable w1, Variable b1, Variable wDown, Variable wUp, Variable w2, INDArray target) {
    Variable h = Activations.relu(SparseFunctions.conv(x, w1, b1, ConvolutionSpec.submanifold(KernelRegion.cube(3, 3))));
    Variable d = SparseFunctions.conv(h, wDown, null, ConvolutionSpec.strided(KernelRegion.cube(3, 2), 2, 2, 2));
    Variable u = SparseFunctions.conv(d, wUp, null, ConvolutionSpec.transposed(KernelRegion.cube(3, 2), 2, 2, 2));
    Variable cat = SparseFunctions.concat(List.of(h, u));
    Variable y = SparseFunctions.add(SparseFunctions.conv(cat, w2, null, ConvolutionSpec.submanifold(KernelRegion.cube(3, 3))), x);
    return Losses.mse(y, target);
  }

  @Test
  void tapeGradientsMatchFiniteDifferencesThroughSkipsAndBothStrides() {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor xt = input(cm);
      Variable x = Variable.of(xt, true);
      Variable w1 = Variable.of(uniform(27, 2, 3), true);
      Variable b1 = Variable.of(uniform(3), true);
      Variable wDown = Variable.of(uniform(8, 3, 4), true);
      Variable wUp = Variable.of(uniform(8, 4, 3), true);
      Variable w2 = Variable.of(uniform(27, 6, 2), true);
      INDArray target = uniform(xt.size(), 2);
      long inputBytes = cm.memory().current(MemoryCategory.FEATURES);
      Variable loss = network(x, w1, b1, wDown, wUp, w2, target);
      assertTrue(cm.memory().current(MemoryCategory.FEATURES) > inputBytes, "activations are counted until backward");
      assertEquals(0, cm.memory().current(MemoryCategory.SAVED_FOR_BACKWARD),
          "ReLU saves nothing: its backward reads its output, which the graph keeps anyway");
      loss.backward();
      assertEquals(inputBytes, cm.memory().current(MemoryCategory.FEATURES), "backward frees every activation");
      assertEquals(0, cm.memory().current(MemoryCategory.GRADIENTS), "and every pending gradient");

      Supplier<Double> f = () -> network(Variable.of(xt, false), w1, b1, wDown, wUp, w2, target).data().getDouble(0);
      for (Variable p : List.of(w1, b1, wDown, wUp, w2)) {
        checkAgainstFiniteDifferences(p.data(), p.grad(), f);
      }
      INDArray xData = xt.features();
      checkAgainstFiniteDifferences(xData, x.grad(), f);
      assertThrows(IllegalStateException.class, loss::backward, "a freed graph cannot be walked again");
    }
  }

  private static void checkAgainstFiniteDifferences(INDArray param, INDArray grad, Supplier<Double> f) {
    INDArray flat = param.reshape(param.length());
    INDArray g = grad.reshape(grad.length());
    double max = 0;
    for (long i = 0; i < flat.length(); i++) {
      double v = flat.getDouble(i);
      flat.putScalar(i, v + 1e-6);
      double up = f.get();
      flat.putScalar(i, v - 1e-6);
      double down = f.get();
      flat.putScalar(i, v);
      double numeric = (up - down) / 2e-6;
      assertEquals(numeric, g.getDouble(i), 1e-6 * Math.max(1, Math.abs(numeric)), "entry " + i);
      max = Math.max(max, Math.abs(numeric));
    }
    assertTrue(max > 0, "the check would prove nothing on a zero gradient");
  }

  @Test
  void gradientsAccumulateOverUsesAndCalls() {
    Variable a = Variable.of(Nd4j.create(new double[] {1, 2, 3}).reshape(1, 3), true);
    Losses.mse(SparseFunctions.add(a, a), Nd4j.zeros(DataType.DOUBLE, 1, 3)).backward();
    // d/da mean((2a)^2) = 8a/3
    assertEquals(8.0 / 3, a.grad().getDouble(0), 1e-12);
    Losses.mse(a, Nd4j.zeros(DataType.DOUBLE, 1, 3)).backward();
    assertEquals(8.0 / 3 + 2.0 / 3, a.grad().getDouble(0), 1e-12, "leaf gradients add up until zeroGrad");
    a.zeroGrad();
    assertNull(a.grad());
  }

  @Test
  void noGradRecordsNothing() {
    Variable a = Variable.of(Nd4j.ones(DataType.DOUBLE, 1, 2), true);
    Variable y;
    try (NoGrad ng = NoGrad.enter()) {
      assertTrue(NoGrad.active());
      y = Activations.relu(a);
    }
    assertFalse(NoGrad.active());
    assertFalse(y.requiresGrad());
    assertThrows(IllegalStateException.class, y::backward);
    Variable frozen = Variable.of(Nd4j.ones(DataType.DOUBLE, 1, 1), false);
    assertFalse(Activations.relu(frozen).requiresGrad(), "no input needs a gradient: nothing is recorded");
  }

  @Test
  void denseActivationsScaleAndDropoutDifferentiate() {
    Variable x = Variable.of(Nd4j.create(new double[][] {{0.3, -1.2, 2.0}, {-0.4, 0.9, -2.5}}), true);
    NnTesting.checkGradients(() -> SparseFunctions.scale(Activations.elu(Activations.sigmoid(x), 1.0), 3.0),
        java.util.List.of(x), "dense sigmoid, elu, scale");
    NnTesting.checkGradients(() -> SparseFunctions.dropout(Activations.gelu(x), 0.3, new java.util.SplittableRandom(2)),
        java.util.List.of(x), "dense gelu, dropout");
  }
}
