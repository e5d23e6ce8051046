package org.jsparse.core.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.core.testing.RandomSparse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A half-stored submanifold map whose other half is large is walked in passes, one expanded part
 * at a time: the results equal one pass over the whole expansion (held by a lease), on both CPU
 * paths, and the transient workspace is a fraction of the whole expansion.
 */
class ExpansionPartsTest {
  private record Run(INDArray y, INDArray gin, INDArray gw, long workspacePeak) {}

  private static Run run(CoordinateManager cm, SparseTensor x, INDArray w, INDArray g, OpPlan plan, boolean whole) {
    KernelMap map = plan.kernelMap();
    assertTrue(map.isCompact(), "a submanifold map of a cube is half stored");
    cm.memory().resetPeaks();
    long before = cm.memory().current(MemoryCategory.WORKSPACE);
    KernelMap.Lease lease = whole ? map.lease(cm.memory()) : null;
    try {
      SparseTensor y = SparseConvolution.forward(x, w, null, plan);
      INDArray gin = SparseConvolution.backwardInput(plan, g, w);
      INDArray gw = SparseConvolution.backwardWeight(plan, x.features(), g);
      return new Run(y.features().dup(), gin, gw, cm.memory().peak(MemoryCategory.WORKSPACE) - before);
    } finally {
      if (lease != null) {
        lease.close();
      }
    }
  }

  @ParameterizedTest(name = "density {0}")
  @ValueSource(doubles = {1.0, 0.5})
  void partsEqualTheWholeExpansion(double density) {
    Random rnd = new Random(5);
    Coordinates c = RandomSparse.coordinates(rnd, 1, 3, density == 1.0 ? 44 : 74, 0, 1, density);
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor x = SparseTensor.create(cm, c, TensorStride.uniform(3, 1),
          RandomSparse.uniform(rnd, DataType.DOUBLE, c.size(), 2));
      INDArray w = RandomSparse.uniform(rnd, DataType.DOUBLE, 27, 2, 3);
      OpPlan plan = SparseConvolution.plan(x, ConvolutionSpec.submanifold(KernelRegion.cube(3, 3)));
      INDArray g = RandomSparse.uniform(rnd, DataType.DOUBLE, x.size(), 3);
      KernelMap map = plan.kernelMap();
      long otherHalf = map.pairCount() - (long) map.start(map.storedOffsets());
      assertTrue(otherHalf > (1 << 20), "large enough to be walked in parts: " + otherHalf + " pairs");
      Run whole = run(cm, x, w, g, plan, true);
      Run parts = run(cm, x, w, g, plan, false);
      assertTrue(whole.y().equalsWithEps(parts.y(), 1e-12), "forward");
      assertTrue(whole.gin().equalsWithEps(parts.gin(), 1e-12), "backward input");
      assertTrue(whole.gw().equalsWithEps(parts.gw(), 1e-12), "backward weight (mirror images, no expansion)");
      long expansion = 8L * otherHalf;
      assertTrue(parts.workspacePeak() < 0.5 * expansion,
          "one part at a time: " + parts.workspacePeak() + " bytes of workspace vs " + expansion + " for the whole");
    }
  }
}
