package org.jsparse.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.ops.PoolingMode;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.TensorScope;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.memory.Checkpointed;
import org.jsparse.nn.memory.InvertibleResidualChain;
import org.jsparse.nn.testing.NnTesting;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every layer run under NoGrad (training mode, where layers save the most) gives back every
 * feature, gradient, saved and workspace byte once its outputs are closed: nothing is kept for a
 * backward pass that will not run. Coordinate maps and kernel maps stay: the manager caches them.
 */
class NoGradLayerLedgerTest {
  private static final List<MemoryCategory> TRANSIENT = List.of(MemoryCategory.FEATURES, MemoryCategory.GRADIENTS,
      MemoryCategory.SAVED_FOR_BACKWARD, MemoryCategory.WORKSPACE);

  private static Convolution conv(int in, int out, int stride) {
    return Convolution.builder().setDimension(3).setChannels(in, out).setKernelSize(3).optStride(stride).optSeed(5)
        .build();
  }

  private static Map<String, Function<Variable, Variable>> layers() {
    Map<String, Function<Variable, Variable>> m = new LinkedHashMap<>();
    m.put("submanifold convolution", conv(4, 6, 1)::forward);
    m.put("strided convolution", conv(4, 6, 2)::forward);
    Convolution down = conv(4, 4, 2);
    Convolution up = Convolution.transposedBuilder().setDimension(3).setChannels(4, 3).setKernelSize(2).optStride(2)
        .optSeed(6).build();
    m.put("transposed convolution", x -> up.forward(down.forward(x)));
    Convolution gen = Convolution.generativeBuilder().setDimension(3).setChannels(4, 3).setKernelSize(2).optStride(2)
        .optSeed(7).build();
    m.put("generative convolution", x -> gen.forward(down.forward(x)));
    m.put("linear", new Linear(4, 5)::forward);
    m.put("batch norm", new BatchNorm(4)::forward);
    m.put("instance norm", new InstanceNorm(4)::forward);
    m.put("relu", Activation.relu()::forward);
    m.put("gelu", Activation.gelu()::forward);
    m.put("sigmoid", Activation.sigmoid()::forward);
    m.put("dropout", new Dropout(0.3, 9)::forward);
    m.put("max pooling", Pooling.max(2, 2, 2)::forward);
    m.put("average pooling", Pooling.average(2, 2, 2)::forward);
    m.put("global max pooling", new GlobalPool(PoolingMode.MAX)::forward);
    m.put("global average pooling", new GlobalPool(PoolingMode.AVERAGE)::forward);
    m.put("residual", new Residual(new Sequential(conv(4, 4, 1), new BatchNorm(4), Activation.relu()))::forward);
    m.put("union", x -> new Union().forward(x, Activation.relu().forward(x)));
    m.put("concat", x -> new Concat().forward(x, x));
    m.put("add", x -> new Add().forward(x, x));
    m.put("checkpointed", new Checkpointed(new Sequential(conv(4, 4, 1), Activation.relu()))::forward);
    m.put("invertible residual chain", new InvertibleResidualChain(List.of(new Sequential(conv(4, 4, 1),
        Activation.relu())))::forward);
    m.put("pruning", x -> new Pruning().forward(x, new Linear(4, 1).forward(x), null).output());
    return m;
  }

  @Test
  void everyLayerKeepsNothingForBackwardUnderNoGrad() {
    List<int[]> shell = NnTesting.shell(4, 7, true);
    for (Map.Entry<String, Function<Variable, Variable>> layer : layers().entrySet()) {
      try (CoordinateManager cm = new CoordinateManager(3)) {
        SparseTensor x = SparseTensor.create(cm, Coordinates.of(shell.toArray(new int[0][])), TensorStride.uniform(3, 1),
            Nd4j.rand(DataType.FLOAT, shell.size(), 4).subi(0.5));
        Variable in = Variable.of(x, true);
        Map<MemoryCategory, Long> before = new LinkedHashMap<>();
        TRANSIENT.forEach(c -> before.put(c, cm.memory().current(c)));
        long output;
        try (NoGrad ng = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
          Variable y = layer.getValue().apply(in);
          assertTrue(y.data().length() > 0, layer.getKey() + " made an output");
          assertEquals(0, cm.memory().current(MemoryCategory.SAVED_FOR_BACKWARD),
              layer.getKey() + " saved nothing under NoGrad");
          output = cm.memory().current(MemoryCategory.FEATURES) - before.get(MemoryCategory.FEATURES);
        }
        for (MemoryCategory c : TRANSIENT) {
          assertEquals(before.get(c), cm.memory().current(c),
              layer.getKey() + ": " + c + " back to where it started once the outputs closed (output held " + output
                  + " bytes)");
        }
      }
    }
  }

  @Test
  void aSequentialFreesEachIntermediateOnceTheNextLayerHasUsedIt() {
    List<int[]> shell = NnTesting.shell(4, 7, true);
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor x = SparseTensor.create(cm, Coordinates.of(shell.toArray(new int[0][])), TensorStride.uniform(3, 1),
          Nd4j.rand(DataType.FLOAT, shell.size(), 8).subi(0.5));
      Sequential chain = new Sequential(conv(8, 8, 1), new BatchNorm(8), Activation.relu().inPlace(), conv(8, 8, 1),
          new BatchNorm(8), Activation.relu().inPlace(), conv(8, 8, 1));
      chain.eval();
      double[] taped;
      long peakTaped;
      cm.memory().resetPeaks();
      long base = cm.memory().current(MemoryCategory.FEATURES);
      try (TensorScope scope = TensorScope.open()) {
        taped = chain.forward(Variable.of(x, false)).data().dup().data().asDouble();
        peakTaped = cm.memory().peak(MemoryCategory.FEATURES) - base;
      }
      cm.memory().resetPeaks();
      double[] untaped;
      long peakUntaped;
      try (NoGrad ng = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
        Variable in = Variable.of(x, false);
        Variable y = chain.forward(in);
        untaped = y.data().dup().data().asDouble();
        peakUntaped = cm.memory().peak(MemoryCategory.FEATURES) - base;
        assertTrue(!x.isClosed() && !y.tensor().isClosed(), "the chain's input and output stay");
      }
      org.junit.jupiter.api.Assertions.assertArrayEquals(taped, untaped, 0, "freeing early changes no value");
      long one = (long) shell.size() * 8 * 4;
      assertTrue(peakUntaped <= 2 * one, "at most an input and an output of a layer at once: " + peakUntaped
          + " bytes, a layer's output is " + one);
      assertTrue(peakTaped >= 4 * one, "the taped pass keeps its intermediates: " + peakTaped);
    }
  }
}
