package org.jsparse.nn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.backend.SeparateMemoryBackend;
import org.jsparse.nn.optim.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The ULM network in 2D+t and 3D+t: level strides, deep-supervision loss, training reduces it. */
class SparseDeepStULMTest {
  /** Microbubbles moving along a line: input sites at spatial stride 8 over 64 frames, truth at stride 1. */
  static SparseTensor[] track(CoordinateManager cm, int spatial, Random rnd) {
    List<int[]> in = new ArrayList<>();
    List<int[]> truth = new ArrayList<>();
    int d = spatial + 1;
    for (int t = 0; t < 64; t++) {
      int[] fine = new int[d + 1];
      for (int a = 0; a < spatial; a++) {
        fine[1 + a] = 8 + (a == 0 ? t / 2 : 8);
      }
      fine[d] = t;
      truth.add(fine);
      for (int dx = -8; dx <= 8; dx += 8) {
        int[] coarse = new int[d + 1];
        for (int a = 0; a < spatial; a++) {
          coarse[1 + a] = Math.floorDiv(fine[1 + a], 8) * 8 + (a == 0 ? dx : 0);
        }
        coarse[d] = t;
        if (in.stream().noneMatch(r -> java.util.Arrays.equals(r, coarse))) {
          in.add(coarse);
        }
      }
    }
    int[] inStride = new int[d];
    java.util.Arrays.fill(inStride, 8);
    inStride[d - 1] = 1;
    var feats = Nd4j.rand(DataType.FLOAT, in.size(), 2);
    SparseTensor x = SparseTensor.create(cm, Coordinates.of(in.toArray(new int[0][])), TensorStride.of(inStride), feats);
    SparseTensor y = SparseTensor.create(cm, Coordinates.of(truth.toArray(new int[0][])), TensorStride.uniform(d, 1),
        Nd4j.ones(DataType.FLOAT, truth.size(), 1));
    return new SparseTensor[] {x, y};
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4})
  void levelsSitAtTheSupervisedStridesAndTrainingLowersTheLoss(int d) {
    Nd4j.getRandom().setSeed(1);
    try (CoordinateManager cm = new CoordinateManager(d)) {
      SparseTensor[] xy = track(cm, d - 1, new Random(1));
      SparseDeepStULM net = SparseDeepStULM.builder().setDimension(d).optBaseChannels(8).optSeed(3).build();
      Adam adam = new Adam(net, 0.01);
      double first = 0;
      double last = 0;
      for (int step = 0; step < 8; step++) {
        net.zeroGrad();
        SparseDeepStULM.Output out = net.forward(Variable.of(xy[0], false), xy[1]);
        if (step == 0) {
          int[] space = {8, 4, 2};
          for (int i = 0; i < 3; i++) {
            int[] s = out.levelProbabilities().get(i).tensor().tensorStride().toArray();
            assertEquals(space[i], s[0], "level " + i + " space stride");
            assertEquals(64, s[d - 1], "level " + i + " time stride");
          }
          int[] fin = out.probabilities().tensor().tensorStride().toArray();
          assertEquals(1, fin[0]);
          assertEquals(512, fin[d - 1]);
          assertTrue(out.keptSites()[0] >= 1);
        }
        Variable loss = SparseDeepStULM.loss(out, xy[1]);
        loss.backward();
        adam.step();
        last = loss.data().getDouble(0);
        first = step == 0 ? last : first;
      }
      assertTrue(last < first, "deep-supervision Dice fell from " + first + " to " + last);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 5})
  void onlyTwoOrThreeSpatialAxesPlusTime(int d) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparseDeepStULM.builder().setDimension(d).build());
    assertTrue(e.getMessage().contains("2D+time") && e.getMessage().endsWith("got " + d), e.getMessage());
  }

  private record Step(double loss, List<INDArray> grads) {}

  private static Step ulmStep(Backend backend) {
    Nd4j.getRandom().setSeed(1);
    try (CoordinateManager cm = new CoordinateManager(3, backend)) {
      SparseTensor[] xy = track(cm, 2, new Random(1));
      SparseDeepStULM net = SparseDeepStULM.builder().setDimension(3).optBaseChannels(8).optSeed(3).build();
      net.to(backend); // on separate memory the weights and their gradients live there too
      net.zeroGrad();
      Variable loss = SparseDeepStULM.loss(net.forward(Variable.of(xy[0], false), xy[1]), xy[1]);
      loss.backward();
      List<INDArray> grads = new ArrayList<>();
      for (Parameter p : net.parameters()) {
        grads.add(p.grad() == null ? null : p.grad().dup());
      }
      return new Step(loss.data().getDouble(0), grads);
    }
  }

  @Test
  void aStepOnABackendWithItsOwnMemoryMatchesTheCpuBackend() {
    Step plain;
    try (Backend cpu = Backends.cpu()) {
      plain = ulmStep(cpu);
    }
    try (SeparateMemoryBackend separate = new SeparateMemoryBackend()) {
      Step seen = ulmStep(separate);
      for (String k : separate.copies().keySet()) { // the test's own reads of the gradients are Parameter.grad
        assertTrue(k.startsWith("to device") || k.equals("to host Pruning.forward") || k.equals("to host Parameter.grad")
            || k.equals("to host Normalization.normalize"), "to the host go only pruning's keep mask and the "
            + "normalization vectors; all copies: " + separate.copies());
      }
      assertEquals(plain.loss(), seen.loss(), 0.0, "ELU, batch norm, pruning and the Dice losses on separate memory");
      for (int i = 0; i < plain.grads().size(); i++) {
        assertEquals(plain.grads().get(i), seen.grads().get(i), "gradient of parameter " + i);
      }
      assertEquals(0, separate.openBorrowed(), separate::openBorrowedSites);
    }
  }
}
