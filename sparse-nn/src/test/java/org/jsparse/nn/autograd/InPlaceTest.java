package org.jsparse.nn.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jsparse.core.backend.PointwiseFunction;
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
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** In-place activations: they save a feature matrix, give the same gradients, and refuse to corrupt one. */
class InPlaceTest {
  private static final ConvolutionSpec K3 = ConvolutionSpec.submanifold(KernelRegion.cube(3, 3));
  private static final PointwiseFunction RELU = PointwiseFunction.of(PointwiseFunction.Kind.RELU);

  private static SparseTensor input(CoordinateManager cm) {
    int[][] rows = new int[40][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new int[] {0, i % 4, (i / 4) % 5, i / 20};
    }
    Random rnd = new Random(5);
    INDArray f = Nd4j.create(DataType.DOUBLE, rows.length, 2);
    for (int i = 0; i < f.length(); i++) {
      f.putScalar(i, rnd.nextDouble() - 0.5);
    }
    return SparseTensor.create(cm, Coordinates.of(rows), TensorStride.uniform(3, 1), f);
  }

  private static INDArray weight(long seed, long... shape) {
    Random rnd = new Random(seed);
    INDArray w = Nd4j.create(DataType.DOUBLE, shape);
    for (int i = 0; i < w.length(); i++) {
      w.putScalar(i, rnd.nextDouble() - 0.5);
    }
    return w;
  }

  private static INDArray gradient(boolean inPlace) {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      Variable w1 = Variable.of(weight(1, 27, 2, 3), true);
      Variable w2 = Variable.of(weight(2, 27, 3, 2), true);
      Variable h = SparseFunctions.conv(Variable.of(input(cm), false), w1, null, K3);
      long before = cm.memory().current(MemoryCategory.FEATURES);
      Variable a = Activations.apply(h, RELU, inPlace);
      assertEquals(inPlace, a.data() == h.data(), "in place writes over its input");
      assertEquals(inPlace ? before : before + h.data().length() * 8, cm.memory().current(MemoryCategory.FEATURES),
          "an in-place activation allocates nothing");
      Variable y = SparseFunctions.conv(a, w2, null, K3);
      Losses.mse(y, weight(3, y.data().shape())).backward();
      return w1.grad().dup();
    }
  }

  @Test
  void inPlaceGivesTheSameGradients() {
    assertEquals(gradient(false), gradient(true));
  }

  @Test
  void overwritingAValueABackwardNeedsFailsAtBackward() {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      Variable w1 = Variable.of(weight(1, 27, 2, 3), true);
      Variable w2 = Variable.of(weight(2, 27, 3, 2), true);
      Variable h = SparseFunctions.conv(Variable.of(input(cm), false), w1, null, K3);
      Variable y = SparseFunctions.conv(h, w2, null, K3); // its weight gradient reads h
      Variable a = Activations.apply(h, RELU, true);      // overwrites h
      assertSame(h.data(), a.data());
      Variable loss = SparseFunctions.add(Losses.mse(y, weight(3, y.data().shape())),
          Losses.mse(a, weight(4, a.data().shape())));
      IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
      assertTrue(e.getMessage().contains("in-place"), e.getMessage());
    }
  }

  @Test
  void aUsersLeafIsNeverOverwritten() {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor x = input(cm);
      INDArray copy = x.features().dup();
      Variable a = Activations.apply(Variable.of(x, true), RELU, true);
      assertTrue(a.data() != x.features(), "a leaf gets a new result");
      assertEquals(copy, x.features(), "and keeps its values");
    }
  }
}
