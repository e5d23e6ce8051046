package org.jsparse.nn.functional;

import static org.jsparse.nn.testing.NnTesting.checkGradients;
import static org.jsparse.nn.testing.NnTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.Variable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Loss values against hand-computed references, and finite-difference gradients of every loss. */
class LossTest {
  private final Random rnd = new Random(3);

  @Test
  void bceWithLogitsValueAndGradient() {
    INDArray z = Nd4j.create(new double[][] {{-40}, {0}, {2}, {35}});
    INDArray t = Nd4j.create(new double[][] {{0}, {1}, {0}, {1}});
    double expected = (0 + Math.log(2) + (2 + Math.log1p(Math.exp(-2))) + Math.log1p(Math.exp(-35))) / 4;
    assertEquals(expected, Losses.bceWithLogits(Variable.of(z, false), t).data().getDouble(0), 1e-12,
        "stable for large logits");
    Variable logits = Variable.of(uniform(rnd, 6, 2).mul(3), true);
    INDArray labels = Nd4j.rand(DataType.DOUBLE, 6, 2);
    checkGradients(() -> Losses.bceWithLogits(logits, labels), List.of(logits), "bce");
  }

  @Test
  void mseOfASparseValueRunsOnItsBackendAndEqualsTheDenseOne() {
    try (CoordinateManager cm = new CoordinateManager(2)) {
      INDArray values = uniform(rnd, 4, 3);
      SparseTensor t = SparseTensor.create(cm, Coordinates.of(new int[] {0, 0, 0}, new int[] {0, 1, 0},
          new int[] {0, 3, 2}, new int[] {1, 0, 5}), TensorStride.uniform(2, 1), values);
      INDArray target = uniform(rnd, 4, 3);
      Variable sparse = Variable.of(t, true);
      assertEquals(Losses.mse(Variable.of(values.dup(), false), target).data().getDouble(0),
          Losses.mse(sparse, target).data().getDouble(0), 1e-12);
      checkGradients(() -> Losses.mse(sparse, target), List.of(sparse), "mse of a sparse value");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Losses.mse(sparse, uniform(rnd, 3, 3)));
      assertTrue(e.getMessage().contains("target has shape [3, 3], the prediction [4, 3]"), e.getMessage());
    }
  }

  @Test
  void mseAndCrossEntropy() {
    Variable x = Variable.of(uniform(rnd, 5, 3), true);
    INDArray target = uniform(rnd, 5, 3);
    assertEquals(x.data().sub(target).norm2Number().doubleValue() * x.data().sub(target).norm2Number().doubleValue() / 15,
        Losses.mse(x, target).data().getDouble(0), 1e-12);
    checkGradients(() -> Losses.mse(x, target), List.of(x), "mse");
    Variable logits = Variable.of(Nd4j.create(new double[][] {{1, 2, 3}, {0, 0, 0}}), true);
    double expected = (-Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3))) + Math.log(3)) / 2;
    assertEquals(expected, Losses.crossEntropy(logits, new int[] {2, 1}).data().getDouble(0), 1e-12);
    Variable l2 = Variable.of(uniform(rnd, 6, 4), true);
    checkGradients(() -> Losses.crossEntropy(l2, new int[] {0, 3, 1, 1, 2, 0}), List.of(l2), "cross-entropy");
    assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(l2, new int[] {0, 4, 1, 1, 2, 0}));
  }

  @Test
  void softDiceCountsSitesMissingOnEitherSide() {
    try (CoordinateManager cm = new CoordinateManager(2)) {
      // prediction on sites A, B, C; target on B, C, D (D is missed, A is a false positive)
      Coordinates pc = Coordinates.of(new int[] {0, 0, 0}, new int[] {0, 1, 0}, new int[] {0, 2, 0});
      Coordinates tc = Coordinates.of(new int[] {0, 1, 0}, new int[] {0, 2, 0}, new int[] {0, 3, 0});
      INDArray p = Nd4j.create(new double[][] {{0.9}, {0.6}, {0.3}});
      SparseTensor pred = SparseTensor.create(cm, pc, TensorStride.uniform(2, 1), p);
      SparseTensor target = SparseTensor.create(cm, tc, TensorStride.uniform(2, 1), Nd4j.ones(DataType.DOUBLE, 3, 1));
      double num = 2 * (0.6 + 0.3) + 1;
      double den = (0.9 + 0.6 + 0.3) + 3 + 1;
      Variable v = Variable.of(pred, true);
      assertEquals(1 - num / den, Losses.softDice(v, target, 1).data().getDouble(0), 1e-12);
      checkGradients(() -> Losses.softDice(v, target, 1), List.of(v), "soft dice");
    }
  }

  @Test
  void softDiceAndBceFloorAFinerTargetToThePredictionStride() {
    try (CoordinateManager cm = new CoordinateManager(2)) {
      SparseTensor target = SparseTensor.create(cm,
          Coordinates.of(new int[] {0, 0, 1}, new int[] {0, 1, 1}, new int[] {0, 5, 4}),
          TensorStride.uniform(2, 1), Nd4j.ones(DataType.DOUBLE, 3, 1));
      SparseTensor pred = SparseTensor.create(cm,
          Coordinates.of(new int[] {0, 0, 0}, new int[] {0, 2, 2}, new int[] {0, 4, 4}),
          TensorStride.uniform(2, 2), Nd4j.create(new double[][] {{0.8}, {0.4}, {0.7}}));
      boolean[] hit = SparseTargets.occupancy(pred, target);
      assertTrue(hit[0] && !hit[1] && hit[2], "(0,1),(1,1) floor to (0,0); (5,4) to (4,4)");
      // target at stride 2: {(0,0), (4,4)}, each counting 1
      double num = 2 * (0.8 + 0.7) + 1;
      double den = (0.8 + 0.4 + 0.7) + 2 + 1;
      Variable v = Variable.of(pred, true);
      assertEquals(1 - num / den, Losses.softDice(v, target, 1).data().getDouble(0), 1e-12);
      Variable logits = Variable.of(pred, true);
      checkGradients(() -> Losses.bceWithLogits(logits, target), List.of(logits), "bce vs sparse target");
    }
  }

  @Test
  void aTargetOnAnotherManagerIsRejected() {
    try (CoordinateManager a = new CoordinateManager(2); CoordinateManager b = new CoordinateManager(2)) {
      Coordinates c = Coordinates.of(new int[] {0, 0, 0});
      SparseTensor pred = SparseTensor.create(a, c, TensorStride.uniform(2, 1), Nd4j.ones(DataType.DOUBLE, 1, 1));
      SparseTensor target = SparseTensor.create(b, c, TensorStride.uniform(2, 1), Nd4j.ones(DataType.DOUBLE, 1, 1));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Losses.softDice(Variable.of(pred, true), target, 1));
      assertTrue(e.getMessage().contains("different CoordinateManagers"), e.getMessage());
    }
  }
}
