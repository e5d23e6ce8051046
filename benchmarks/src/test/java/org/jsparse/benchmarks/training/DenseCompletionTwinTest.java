package org.jsparse.benchmarks.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jsparse.nn.models.CompletionNet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The SameDiff dense twin is the sparse network's twin: same parameters, full-grid shapes, and it trains. */
class DenseCompletionTwinTest {
  @Test
  void hasTheSparseNetworksParameterCount() {
    DenseCompletionTwin twin = DenseCompletionTwin.build(CompletionNet.CH1, 64, 1, 1);
    assertEquals(CompletionNet.build(CompletionNet.CH1, 1).parameterCount(),
        twin.parameterCount());
    assertEquals(434_695, twin.parameterCount());
  }

  @Test
  void oneTrainingStepLowersTheLossOnItsBatch() {
    DenseCompletionTwin twin = DenseCompletionTwin.build(CompletionNet.CH1, 64, 1, 3);
    int[] sites = new int[3 * 400];
    for (int i = 0; i < 400; i++) { // a 20x20 plate, the kind of thin surface the twin completes
      sites[3 * i] = 30;
      sites[3 * i + 1] = 20 + i / 20;
      sites[3 * i + 2] = 20 + i % 20;
    }
    INDArray pair = DenseTwinPoint.grid(sites, 64, 2);
    assertArrayEquals(new long[] {2, 1, 64, 64, 64}, pair.shape());
    assertEquals(800, pair.sumNumber().intValue());
    assertEquals(1, pair.getDouble(1, 0, 30, 20, 63 - 20)); // the odd item is mirrored in x
    INDArray grid = DenseTwinPoint.grid(sites, 64, 1);
    DataSet data = new DataSet(grid, grid);
    twin.graph().setTrainingConfig(DenseCompletionTwin.trainingConfig());
    Map<String, INDArray> in = Map.of(DenseCompletionTwin.INPUT, grid, DenseCompletionTwin.TARGET, grid);
    double before = twin.graph().output(in, DenseCompletionTwin.LOSS).get(DenseCompletionTwin.LOSS).getDouble(0);
    for (int step = 0; step < 2; step++) {
      twin.graph().fit(data);
    }
    double after = twin.graph().output(in, DenseCompletionTwin.LOSS).get(DenseCompletionTwin.LOSS).getDouble(0);
    assertTrue(Double.isFinite(before) && after < before, "loss " + before + " -> " + after);
  }

  @Test
  void refusesGridsTooSmallForSixLevels() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DenseCompletionTwin.build(CompletionNet.CH1, 32, 1, 1));
    assertTrue(e.getMessage().contains("R = 32"), e.getMessage());
  }
}
