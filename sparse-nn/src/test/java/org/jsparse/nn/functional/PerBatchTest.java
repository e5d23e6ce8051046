package org.jsparse.nn.functional;

import static org.jsparse.nn.testing.NnTesting.checkGradients;
import static org.jsparse.nn.testing.NnTesting.randomTensor;
import static org.jsparse.nn.testing.NnTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.ops.Batches;
import org.jsparse.core.ops.PoolingMode;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.layers.BroadcastAdd;
import org.jsparse.nn.layers.BroadcastMultiply;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Broadcast add / multiply and batch decomposition: values against a direct reading, gradients against finite differences. */
class PerBatchTest {
  private final Random rnd = new Random(11);

  @Test
  void broadcastsMatchADirectReadingAndTheirGradientsCheck() {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor t = randomTensor(cm, rnd, 14, 3, 4);
      Variable x = Variable.of(t, true);
      Variable g = Variable.of(uniform(rnd, 2, 3), true);
      Variable sum = new BroadcastAdd().forward(x, g);
      Variable product = new BroadcastMultiply().forward(x, g);
      int[] batch = cm.batchIndices(t.key());
      for (int r = 0; r < t.size(); r++) {
        for (int c = 0; c < 3; c++) {
          double xv = t.features().getDouble(r, c);
          double gv = g.data().getDouble(batch[r], c);
          assertEquals(xv + gv, sum.data().getDouble(r, c), 1e-12);
          assertEquals(xv * gv, product.data().getDouble(r, c), 1e-12);
        }
      }
      checkGradients(() -> PerBatch.broadcastAdd(x, g), List.of(x, g), "broadcast add");
      checkGradients(() -> PerBatch.broadcastMultiply(x, g), List.of(x, g), "broadcast multiply");
      // the usual gate: x * sigmoid(global average of x), every path differentiated
      checkGradients(() -> PerBatch.broadcastMultiply(x,
          org.jsparse.nn.functional.Activations.sigmoid(SparseFunctions.globalPool(x, PoolingMode.AVERAGE))),
          List.of(x), "x * sigmoid(mean x)");
    }
  }

  @Test
  void aPerBatchValueOfTheWrongShapeIsRefused() {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      Variable x = Variable.of(randomTensor(cm, rnd, 10, 3, 4), false);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PerBatch.broadcastAdd(x, Variable.of(uniform(rnd, 2, 4), false)));
      assertTrue(e.getMessage().contains("[B = 2, C = 3]"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> PerBatch.broadcastMultiply(x, x));
    }
  }

  @Test
  void decompositionGivesEachItemsRowsAndGradientsFlowBack() {
    try (CoordinateManager cm = new CoordinateManager(2)) {
      SparseTensor t = randomTensor(cm, rnd, 16, 2, 5);
      Variable x = Variable.of(t, true);
      List<Variable> items = PerBatch.decompose(x);
      List<int[]> rows = Batches.rowsPerItem(t);
      List<int[][]> coords = Batches.coordinatesPerItem(t);
      assertEquals(2, items.size());
      int seen = 0;
      for (int b = 0; b < 2; b++) {
        for (int i = 0; i < rows.get(b).length; i++) {
          int r = rows.get(b)[i];
          assertEquals(b, t.coordinates().batch(r));
          assertArrayEquals(new int[] {t.coordinates().get(r, 0), t.coordinates().get(r, 1)}, coords.get(b)[i]);
          assertEquals(t.features().getDouble(r, 1), items.get(b).data().getDouble(i, 1), 0.0);
          seen++;
        }
      }
      assertEquals(t.size(), seen, "every row is in exactly one item");
      checkGradients(() -> PerBatch.decompose(x).get(1), List.of(x), "decomposed item 1");
    }
  }

  @Test
  void collatedItemsComeBackAsTheyWent() {
    List<int[][]> coords = List.<int[][]>of(new int[][] {{0, 1}, {2, 3}}, new int[][] {},
        new int[][] {{5, 5}, {0, 1}, {-4, 2}});
    List<INDArray> feats = List.of(Nd4j.create(new float[][] {{1}, {2}}), Nd4j.create(DataType.FLOAT, 0, 1),
        Nd4j.create(new float[][] {{3}, {4}, {5}}));
    Batches.Collated batch = Batches.collate(coords, feats);
    assertEquals(5, batch.coordinates().size());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5}, batch.features().dup().reshape(5).toFloatVector());
    try (CoordinateManager cm = new CoordinateManager(2)) {
      SparseTensor t = SparseTensor.create(cm, batch.coordinates(), TensorStride.uniform(2, 1), batch.features());
      List<int[][]> back = Batches.coordinatesPerItem(t);
      assertEquals(3, back.size());
      assertEquals(0, back.get(1).length, "the empty item stays empty");
      assertArrayEquals(coords.get(2)[2], back.get(2)[2]);
      assertArrayEquals(new float[] {3, 4, 5}, Batches.featuresPerItem(t).get(2).dup().reshape(3).toFloatVector());
    }
    assertThrows(IllegalArgumentException.class,
        () -> Batches.collate(List.<int[][]>of(new int[][] {{1, 2}}), List.of(Nd4j.create(new float[][] {{1}, {2}}))));
    assertThrows(IllegalArgumentException.class,
        () -> Batches.collate(List.<int[][]>of(new int[][] {{1, 2}}, new int[][] {{1, 2, 3}}),
            List.of(Nd4j.create(new float[][] {{1}}), Nd4j.create(new float[][] {{1}}))));
  }
}
