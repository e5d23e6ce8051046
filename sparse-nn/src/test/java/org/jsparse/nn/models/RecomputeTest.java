package org.jsparse.nn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Recomputing the blocks' convolution outputs and rebuilding their kernel maps in backward give
 * the same gradients bit for bit with less memory.
 */
class RecomputeTest {
  private record Step(double loss, List<INDArray> grads, long featurePeak, long mapPeak, long total) {}

  private static PruningUNet.Builder builder() {
    return PruningUNet.builder().setDimension(3).setChannels(4, 8, 8).optFirstDecoderKernel(2)
        .optDataType(DataType.DOUBLE).optSeed(7);
  }

  private static Step step(boolean recompute, boolean rebuildMaps) {
    return step(builder().optRecompute(recompute).optRebuildKernelMaps(rebuildMaps).build());
  }

  private static Step step(PruningUNet net) {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      List<int[]> in = CompletionNetTest.shell(5, 8, true);
      List<int[]> full = CompletionNetTest.shell(5, 8, false);
      SparseTensor x = SparseTensor.create(cm, Coordinates.of(in.toArray(new int[0][])), TensorStride.uniform(3, 1),
          Nd4j.ones(DataType.DOUBLE, in.size(), 1));
      SparseTensor target = SparseTensor.create(cm, Coordinates.of(full.toArray(new int[0][])),
          TensorStride.uniform(3, 1), Nd4j.ones(DataType.DOUBLE, full.size(), 1));
      long before = cm.memory().currentTotal();
      cm.memory().resetPeaks();
      PruningUNet.Output out = net.forward(Variable.of(x, false), target);
      Variable loss = PruningUNet.loss(out, target);
      double value = loss.data().getDouble(0);
      loss.backward();
      List<INDArray> grads = new ArrayList<>();
      for (Parameter p : net.parameters()) {
        grads.add(p.grad() == null ? null : p.grad().dup());
      }
      return new Step(value, grads, cm.memory().peak(MemoryCategory.FEATURES),
          cm.memory().peak(MemoryCategory.KERNEL_MAPS), cm.memory().peakTotal() - before);
    }
  }

  private static void assertSameStep(Step a, Step b) {
    assertEquals(a.loss(), b.loss(), 0.0);
    for (int i = 0; i < a.grads().size(); i++) {
      assertEquals(a.grads().get(i), b.grads().get(i), "gradient of parameter " + i);
    }
  }

  @Test
  void recomputedOutputsGiveTheSameGradientsBitForBitWithFewerFeatureBytes() {
    Step kept = step(false, false);
    Step remade = step(true, false);
    assertSameStep(kept, remade);
    assertTrue(remade.featurePeak() < 0.8 * kept.featurePeak(),
        "feature peak " + remade.featurePeak() + " should be well below " + kept.featurePeak());
  }

  @Test
  void rebuiltKernelMapsGiveTheSameGradientsBitForBitWithALowerPeak() {
    Step kept = step(true, false);
    Step rebuilt = step(true, true);
    assertSameStep(kept, rebuilt);
    assertTrue(rebuilt.mapPeak() < 0.8 * kept.mapPeak(),
        "kernel-map peak " + rebuilt.mapPeak() + " should be well below " + kept.mapPeak());
    assertTrue(rebuilt.total() < kept.total(), "step peak " + rebuilt.total() + " vs " + kept.total());
  }

  @Test
  void theDefaultNetworkRecomputesAndRebuilds() {
    Step defaults = step(builder().build());
    Step both = step(true, true);
    Step none = step(false, false);
    assertSameStep(none, defaults);
    assertEquals(both.total(), defaults.total(), "the defaults are the low-memory settings");
    assertTrue(defaults.total() < none.total(), defaults.total() + " vs " + none.total());
  }
}
