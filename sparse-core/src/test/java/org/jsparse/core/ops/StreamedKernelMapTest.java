package org.jsparse.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.core.testing.RandomSparse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A streamed submanifold map (no pairs stored, each offset merged again per op) gives the stored
 * map's convolution forward, input gradient and weight gradient, for cubes of any size and dilation, in float
 * and double, and holds 12 bytes a row where the stored half holds 8 bytes a pair.
 */
class StreamedKernelMapTest {
  private record Run(INDArray y, INDArray gin, INDArray gw, KernelMap map, long mapBytes) {}

  private static Run run(long streamAbove, Coordinates c, KernelRegion region, DataType type, long seed) {
    Random rnd = new Random(seed);
    try (CoordinateManager cm = new CoordinateManager(3).streamKernelMapsAbove(streamAbove)) {
      SparseTensor x = SparseTensor.create(cm, c, TensorStride.uniform(3, 1), RandomSparse.uniform(rnd, type, c.size(), 3));
      INDArray w = RandomSparse.uniform(rnd, type, region.volume(), 3, 4);
      INDArray g = RandomSparse.uniform(rnd, type, c.size(), 4);
      OpPlan plan = SparseConvolution.plan(x, ConvolutionSpec.submanifold(region));
      KernelMap map = plan.kernelMap();
      long mapBytes = cm.memory().current(MemoryCategory.KERNEL_MAPS);
      SparseTensor y = SparseConvolution.forward(x, w, null, plan);
      INDArray gin = SparseConvolution.backwardInput(plan, g, w);
      INDArray gw = SparseConvolution.backwardWeight(plan, x.features(), g);
      return new Run(y.features().dup(), gin.dup(), gw.dup(), map, mapBytes);
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(Arguments.of(KernelRegion.cube(3, 3), DataType.DOUBLE, 1e-12, 0.4),
        Arguments.of(KernelRegion.cube(3, 3), DataType.FLOAT, 1e-4, 0.4),
        Arguments.of(KernelRegion.hypercube(new int[] {3, 3, 3}, new int[] {2, 2, 2}), DataType.DOUBLE, 1e-12, 0.4),
        Arguments.of(KernelRegion.cube(3, 5), DataType.DOUBLE, 1e-12, 0.4),
        // dense: the implicit GEMM merges the streamed pairs per tile of rows in key order (shuffled rows here)
        Arguments.of(KernelRegion.cube(3, 3), DataType.DOUBLE, 1e-12, 1.0),
        Arguments.of(KernelRegion.cube(3, 3), DataType.FLOAT, 1e-4, 1.0),
        Arguments.of(KernelRegion.hypercube(new int[] {3, 3, 3}, new int[] {2, 2, 2}), DataType.DOUBLE, 1e-12, 1.0));
  }

  @ParameterizedTest(name = "{0} {1} density={3}")
  @MethodSource("cases")
  void streamedEqualsStored(KernelRegion region, DataType type, double eps, double density) {
    Coordinates c = RandomSparse.coordinates(new Random(3), 2, 3, 18, 0, 1, density);
    Run stored = run(Long.MAX_VALUE, c, region, type, 11);
    Run streamed = run(0, c, region, type, 11);
    assertFalse(stored.map().isStreamed());
    assertTrue(streamed.map().isStreamed());
    assertEquals(stored.map().pairCount(), streamed.map().pairCount(), "same pairs counted");
    assertEquals(density == 1.0, streamed.map().pairCount() * 5L >= 3L * streamed.map().outRows() * region.volume(),
        "the case takes the intended path (implicit GEMM when dense)");
    assertTrue(stored.y().equalsWithEps(streamed.y(), eps), "forward");
    assertTrue(stored.gin().equalsWithEps(streamed.gin(), eps), "backward input");
    assertTrue(stored.gw().equalsWithEps(streamed.gw(), eps), "backward weight");
    assertTrue(streamed.mapBytes() < 12L * c.size() + 4L * (region.volume() + 1) + 1,
        "sorted rows only: " + streamed.mapBytes() + " bytes for " + c.size() + " rows");
    assertTrue(stored.mapBytes() > 8L * stored.map().start(stored.map().storedOffsets()) - 1);
  }

  @Test
  void aNegativeThresholdIsRefused() {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      assertThrows(IllegalArgumentException.class, () -> cm.streamKernelMapsAbove(-1));
    }
  }
}
