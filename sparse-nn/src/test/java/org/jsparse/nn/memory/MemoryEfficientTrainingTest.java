package org.jsparse.nn.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Layer;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.Losses;
import org.jsparse.nn.layers.Activation;
import org.jsparse.nn.layers.BatchNorm;
import org.jsparse.nn.layers.Convolution;
import org.jsparse.nn.layers.Dropout;
import org.jsparse.nn.layers.Residual;
import org.jsparse.nn.layers.Sequential;
import org.jsparse.nn.testing.NnTesting;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Checkpointed segments and invertible chains give plain backprop's gradients with less held memory. */
class MemoryEfficientTrainingTest {
  static Convolution conv(int c, long seed, double scale) {
    Convolution k = Convolution.builder().setChannels(c, c).setDimension(3).setKernelSize(3).optSeed(seed)
        .optDataType(DataType.DOUBLE).build();
    k.weight().data().muli(scale);
    return k;
  }

  /** f(x) = conv(ELU(conv(x))), scaled to be a contraction. */
  static Sequential residualFunction(int c, long seed, double scale) {
    return new Sequential(conv(c, seed, scale), Activation.elu(), conv(c, seed + 1000, scale));
  }

  private static Map<String, INDArray> gradients(Layer net, SparseTensor x, INDArray target) {
    net.zeroGrad();
    Losses.mse(net.forward(Variable.of(x, false)), target).backward();
    Map<String, INDArray> g = new java.util.LinkedHashMap<>();
    net.namedParameters().forEach((n, p) -> g.put(n, p.grad().dup()));
    return g;
  }

  private static double maxRelativeError(Map<String, INDArray> a, Map<String, INDArray> b) {
    double worst = 0;
    for (String n : a.keySet()) {
      double diff = a.get(n).sub(b.get(n)).norm2Number().doubleValue();
      worst = Math.max(worst, diff / Math.max(1e-30, a.get(n).norm2Number().doubleValue()));
    }
    return worst;
  }

  @Test
  void checkpointedSegmentsGiveTheSameGradientsAndHoldLess() {
    Random rnd = new Random(5);
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor x = NnTesting.randomTensor(cm, rnd, 400, 8, 12);
      INDArray target = NnTesting.uniform(rnd, 400, 8);
      List<Layer> blocks = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        blocks.add(new Residual(new Sequential(conv(8, i, 0.5), new BatchNorm(8, 0.1, 1e-5, DataType.DOUBLE),
            Activation.elu(), new Dropout(0.2, i))));
      }
      Sequential plain = new Sequential(blocks.toArray(new Layer[0]));
      Sequential checkpointed = new Sequential(new Checkpointed(new Sequential(blocks.get(0), blocks.get(1), blocks.get(2))),
          new Checkpointed(new Sequential(blocks.get(3), blocks.get(4), blocks.get(5))));

      long plainPeak = peakDuring(cm, () -> gradients(plain, x, target));
      Map<String, INDArray> reference = gradients(plain, x, target);
      INDArray runningMean = plain.namedBuffers().get("0.body.1.runningMean").dup();
      // rewind the dropout counters so that the checkpointed run draws the masks of the reference run
      plain.namedBuffers().forEach((n, b) -> {
        if (n.endsWith("calls")) {
          b.subi(1);
        }
      });
      Map<String, INDArray> gc = new java.util.LinkedHashMap<>();
      long checkpointPeak = peakDuring(cm, () -> gc.putAll(renamed(gradients(checkpointed, x, target))));
      assertTrue(maxRelativeError(reference, gc) < 1e-5, "relative error " + maxRelativeError(reference, gc));
      assertTrue(checkpointPeak < plainPeak, "checkpointed peak " + checkpointPeak + " vs plain " + plainPeak);
      assertTrue(!runningMean.equals(plain.namedBuffers().get("0.body.1.runningMean")),
          "the checkpointed forward updated the running statistics once");
    }
  }

  /** The checkpointed model names its parameters "i.body.j..."; map them back to the plain model's names. */
  private static Map<String, INDArray> renamed(Map<String, INDArray> g) {
    Map<String, INDArray> out = new java.util.LinkedHashMap<>();
    g.forEach((n, v) -> {
      String[] parts = n.split("\\.", 4);
      int segment = Integer.parseInt(parts[0]);
      int inner = Integer.parseInt(parts[2]);
      out.put((segment * 3 + inner) + "." + parts[3], v);
    });
    return out;
  }

  private static long peakDuring(CoordinateManager cm, Runnable r) {
    cm.memory().resetPeaks();
    long base = cm.memory().currentTotal();
    r.run();
    return cm.memory().peakTotal() - base;
  }

  @Test
  void invertibleChainMatchesPlainBackpropWithinOneInAThousand() {
    Random rnd = new Random(6);
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor x = NnTesting.randomTensor(cm, rnd, 300, 6, 10);
      INDArray target = NnTesting.uniform(rnd, 300, 6);
      List<Layer> fs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        fs.add(residualFunction(6, i, 0.15));
      }
      Function<List<Layer>, Sequential> plainOf = l -> {
        Sequential s = new Sequential();
        l.forEach(f -> s.add(new Residual(f)));
        return s;
      };
      Sequential plain = plainOf.apply(fs);
      InvertibleResidualChain chain = new InvertibleResidualChain(fs);
      long plainPeak = peakDuring(cm, () -> gradients(plain, x, target));
      Map<String, INDArray> reference = gradients(plain, x, target);
      Map<String, INDArray> gi = new java.util.LinkedHashMap<>();
      long chainPeak = peakDuring(cm, () -> gradients(chain, x, target).forEach((n, v) ->
          gi.put(n.replaceFirst("^f(\\d+)\\.", "$1.body."), v)));
      double err = maxRelativeError(reference, gi);
      assertTrue(err < 1e-3, "relative error " + err);
      assertTrue(chainPeak < plainPeak, "invertible peak " + chainPeak + " vs plain " + plainPeak);
    }
  }

  @Test
  void aNonContractiveBlockFailsClearly() {
    Random rnd = new Random(8);
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor x = NnTesting.randomTensor(cm, rnd, 200, 4, 8);
      InvertibleResidualChain chain = new InvertibleResidualChain(List.of(residualFunction(4, 1, 3.0), residualFunction(4, 2, 3.0)), 20, 1e-9);
      INDArray target = NnTesting.uniform(rnd, 200, 4);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> Losses.mse(chain.forward(Variable.of(x, false)), target).backward());
      assertTrue(e.getMessage().contains("not a contraction"), e.getMessage());
      for (Parameter p : chain.parameters()) {
        assertEquals(DataType.DOUBLE, p.data().dataType());
      }
    }
  }
}
