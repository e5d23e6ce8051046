package org.jsparse.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.Variable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** A batch item whose sites all fall below the threshold keeps exactly one: its arg-max, ties to the lowest row. */
class PruningArgmaxTest {
  private static boolean[] keep(float[] logits) {
    try (CoordinateManager cm = new CoordinateManager(3); NoGrad ng = NoGrad.enter()) {
      Coordinates c = Coordinates.of(new int[] {0, 0, 0, 0}, new int[] {0, 1, 0, 0}, new int[] {0, 2, 0, 0},
          new int[] {1, 0, 0, 0}, new int[] {1, 1, 0, 0}, new int[] {1, 2, 0, 0});
      float[][] column = new float[logits.length][];
      for (int i = 0; i < logits.length; i++) {
        column[i] = new float[] {logits[i]};
      }
      SparseTensor x = SparseTensor.create(cm, c, TensorStride.uniform(3, 1), Nd4j.create(column));
      Variable v = Variable.of(x, false);
      Pruning prune = new Pruning();
      prune.eval();
      return prune.forward(v, v, null).keep();
    }
  }

  @Test
  void tiedLogitsKeepOnlyTheLowestRowOfEachItem() {
    assertArrayEquals(new boolean[] {true, false, false, true, false, false}, keep(new float[] {-1, -1, -1, -2, -2, -2}));
  }

  @Test
  void theArgmaxWinsAndItemsWithSurvivorsKeepOnlyThem() {
    assertArrayEquals(new boolean[] {false, false, true, false, true, true}, keep(new float[] {-3, -2, -1, -5, 2, 3}));
    assertArrayEquals(new boolean[] {false, true, false, true, false, false}, keep(new float[] {-3, -0.5f, -0.5f, -1, -4, -1}));
  }
}
