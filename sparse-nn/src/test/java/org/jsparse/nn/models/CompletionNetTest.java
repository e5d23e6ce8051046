package org.jsparse.nn.models;

import org.jsparse.nn.testing.NnTesting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.optim.Adam;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class CompletionNetTest {
  @Test
  void parameterCountsAreTheSeedsExactly() {
    assertEquals(434_695, CompletionNet.build(CompletionNet.CH1, 0).parameterCount());
    assertEquals(18_137_201, CompletionNet.build(CompletionNet.CH2, 0).parameterCount());
  }

  /** A hollow sphere shell of radius r (the "skull") and the same shell with a cap cut away (the input). */
  static List<int[]> shell(int r, int center, boolean cut) {
    return NnTesting.shell(r, center, cut);
  }

  @Test
  void aSmallCompletionNetLearnsToCompleteOneShell() {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      List<int[]> in = shell(5, 8, true);
      List<int[]> full = shell(5, 8, false);
      SparseTensor x = SparseTensor.create(cm, Coordinates.of(in.toArray(new int[0][])), TensorStride.uniform(3, 1),
          Nd4j.ones(DataType.FLOAT, in.size(), 1));
      SparseTensor target = SparseTensor.create(cm, Coordinates.of(full.toArray(new int[0][])),
          TensorStride.uniform(3, 1), Nd4j.ones(DataType.FLOAT, full.size(), 1));
      PruningUNet net = PruningUNet.builder().setDimension(3).setChannels(4, 8, 8).optFirstDecoderKernel(2)
          .optSeed(1).build();
      Adam adam = new Adam(net, 0.02, true);
      double first = 0;
      double last = 0;
      for (int step = 0; step < 60; step++) {
        net.zeroGrad();
        PruningUNet.Output out = net.forward(Variable.of(x, false), target);
        Variable loss = PruningUNet.loss(out, target);
        loss.backward();
        adam.step();
        last = loss.data().getDouble(0);
        if (step == 0) {
          first = last;
        }
      }
      assertTrue(last < first / 100, "loss fell from " + first + " to " + last + ", expected 100x");
    }
  }

  @Test
  void badInputsAreNamed() {
    PruningUNet net = PruningUNet.builder().setDimension(3).setChannels(4, 8).build();
    try (CoordinateManager cm = new CoordinateManager(2); CoordinateManager other = new CoordinateManager(3)) {
      SparseTensor x2 = SparseTensor.create(cm, Coordinates.of(new int[] {0, 1, 1}), TensorStride.uniform(2, 1),
          Nd4j.ones(DataType.FLOAT, 1, 1));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.forward(Variable.of(x2, false), null));
      assertTrue(e.getMessage().contains("D=3"), e.getMessage());
      SparseTensor x3 = SparseTensor.create(other, Coordinates.of(new int[] {0, 1, 1, 1}), TensorStride.uniform(3, 1),
          Nd4j.ones(DataType.FLOAT, 1, 1));
      try (CoordinateManager third = new CoordinateManager(3)) {
        SparseTensor target = SparseTensor.create(third, Coordinates.of(new int[] {0, 1, 1, 1}),
            TensorStride.uniform(3, 1), Nd4j.ones(DataType.FLOAT, 1, 1));
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
            () -> net.forward(Variable.of(x3, false), target));
        assertTrue(m.getMessage().contains("different CoordinateManagers"), m.getMessage());
      }
    }
    assertThrows(IllegalArgumentException.class, () -> PruningUNet.builder().setChannels(4, 8).build());
    assertThrows(IllegalArgumentException.class, () -> CompletionNet.build(new int[] {1, 2}, 0));
  }
}
