package org.jsparse.nn.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.ops.PoolingMode;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.functional.SparseFunctions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Under NoGrad no op keeps anything for a backward pass that will not run. */
class NoGradLedgerTest {
  @Test
  void maxPoolingAndDropoutSaveNothingUnderNoGrad() {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      int[][] rows = new int[30][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = new int[] {0, i % 3, (i / 3) % 5, i / 15};
      }
      SparseTensor x = SparseTensor.create(cm, Coordinates.of(rows), TensorStride.uniform(3, 1),
          Nd4j.rand(DataType.FLOAT, rows.length, 4));
      Variable in = Variable.of(x, true);
      try (NoGrad ng = NoGrad.enter()) {
        Variable pooled = SparseFunctions.pool(in, KernelRegion.cube(3, 2), new int[] {2, 2, 2}, PoolingMode.MAX);
        Variable dropped = SparseFunctions.dropout(in, 0.5, new SplittableRandom(1));
        assertEquals(0, cm.memory().current(MemoryCategory.SAVED_FOR_BACKWARD), "nothing saved under NoGrad");
        pooled.tensor().close();
        dropped.tensor().close();
      }
      Variable kept = SparseFunctions.dropout(in, 0.5, new SplittableRandom(1));
      assertEquals(0, cm.memory().current(MemoryCategory.SAVED_FOR_BACKWARD),
          "with gradients on, dropout keeps no mask either: backward draws it again from its seed");
      kept.tensor().close();
    }
  }
}
