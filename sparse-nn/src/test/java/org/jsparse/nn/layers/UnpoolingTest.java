package org.jsparse.nn.layers;

import static org.jsparse.nn.testing.NnTesting.checkGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.ops.PoolingMode;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.SparseFunctions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Unpooling sends each coarse value back to the fine sites under it; gradients check by finite differences. */
class UnpoolingTest {
  @Test
  void eachFineSiteTakesItsParentsValue() {
    try (CoordinateManager cm = new CoordinateManager(2)) {
      Coordinates fine = Coordinates.of(new int[] {0, 0, 0}, new int[] {0, 1, 1}, new int[] {0, 2, 0}, new int[] {0, 3, 3});
      INDArray f = Nd4j.create(new double[][] {{1, -1}, {2, -2}, {3, -3}, {4, -4}});
      Variable x = Variable.of(SparseTensor.create(cm, fine, TensorStride.uniform(2, 1), f), true);
      Variable pooled = new Pooling(PoolingMode.MAX, new int[] {2, 2}, new int[] {2, 2}).forward(x);
      Variable back = new Unpooling(2, 2, 2, false).forward(pooled);
      assertEquals(x.tensor().key(), back.tensor().key(), "onto the map the input was pooled from");
      // parents: (0,0) holds sites 0 and 1 (max 2, -1); (2,0) site 2; (2,2) site 3
      double[][] expected = {{2, -1}, {2, -1}, {3, -3}, {4, -4}};
      for (int r = 0; r < 4; r++) {
        int row = cm.rowOf(back.tensor().key(), fine.row(r));
        assertEquals(expected[r][0], back.data().getDouble(row, 0), 0.0, "site " + r);
        assertEquals(expected[r][1], back.data().getDouble(row, 1), 0.0, "site " + r);
      }
      Variable generated = new Unpooling(2, 2, 2, true).forward(pooled);
      assertEquals(3 * 4, generated.tensor().size(), "generative: every site of the three 2x2 windows");
      checkGradients(() -> new Unpooling(2, 2, 2, false).forward(
          SparseFunctions.pool(x, org.jsparse.core.coords.KernelRegion.cube(2, 2), new int[] {2, 2}, PoolingMode.AVERAGE)),
          List.of(x), "average pool then unpool");
      assertEquals(DataType.DOUBLE, back.tensor().dataType());
    }
  }
}
