package org.jsparse.nn.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;
import org.jsparse.nn.functional.Activations;
import org.jsparse.nn.models.PruningUNet;
import org.jsparse.nn.optim.Adam;
import org.jsparse.nn.testing.NnTesting;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A whole training step of a pruning U-Net with the manager on a backend that counts its calls:
 * the step's heavy work (convolutions both ways, activations, normalization, union, pruning) goes
 * through the seam, the results are bit-identical to the plain CPU backend, and when the step is
 * over the ledger holds only the inputs. Then the same step on a backend with memory of its own
 * ({@link SeparateMemoryBackend}, a GPU's copy semantics on the CPU): bit-identical too, every
 * borrowed copy closed, no feature-sized gradient copied to the host (only the pruning logits and
 * the parameters' gradients come back), and an inference pass that copies nothing to the host but
 * the pruning logits. With the parameters moved there too ({@code Module.to}), a step copies no
 * weight, no weight gradient and no loss gradient: only the pruning logits and vector-sized sums.
 */
class BackendSeamTest {
  /** A step's loss, gradients and updated parameters, and the bytes the step copied each way (by caller). */
  private record Step(double loss, List<INDArray> grads, List<INDArray> params, Map<String, Long> copies) {}

  private static SparseTensor tensor(CoordinateManager cm, List<int[]> rows) {
    return SparseTensor.create(cm, Coordinates.of(rows.toArray(new int[0][])), TensorStride.uniform(3, 1),
        Nd4j.ones(DataType.FLOAT, rows.size(), 1));
  }

  private static Step trainStep(Backend backend) {
    return trainStep(backend, false);
  }

  private static Map<String, Long> copiesOf(Backend backend) {
    return backend instanceof SeparateMemoryBackend s ? s.copies() : new TreeMap<>();
  }

  /** Two Adam steps (the second's figures returned), with the parameters moved to the backend first when asked. */
  private static Step trainStep(Backend backend, boolean parametersOnBackend) {
    PruningUNet net = PruningUNet.builder().setDimension(3).setChannels(4, 8, 8).optFirstDecoderKernel(2)
        .optSeed(3).build();
    if (parametersOnBackend) {
      net.to(backend);
    }
    Adam adam = new Adam(net, 0.01, true);
    CoordinateManager cm = new CoordinateManager(3, backend);
    try (cm) {
      SparseTensor x = tensor(cm, NnTesting.shell(5, 8, true));
      SparseTensor target = tensor(cm, NnTesting.shell(5, 8, false));
      double value = 0;
      Map<String, Long> copies = new TreeMap<>();
      for (int step = 0; step < 2; step++) {
        Map<String, Long> before = copiesOf(backend);
        net.zeroGrad();
        PruningUNet.Output out = net.forward(Variable.of(x, false), target);
        Variable loss = PruningUNet.loss(out, target);
        value = loss.data().getDouble(0);
        loss.backward();
        adam.step();
        Map<String, Long> now = copiesOf(backend);
        before.forEach((k, v) -> now.merge(k, -v, Long::sum));
        now.values().removeIf(v -> v == 0);
        copies = now;
      }
      assertEquals(0, cm.memory().current(MemoryCategory.GRADIENTS), "backward freed every pending gradient");
      assertEquals(0, cm.memory().current(MemoryCategory.SAVED_FOR_BACKWARD), "and everything saved");
      assertEquals(0, cm.memory().current(MemoryCategory.WORKSPACE), "no op left a workspace behind");
      List<INDArray> grads = new ArrayList<>();
      List<INDArray> params = new ArrayList<>();
      for (Parameter p : net.parameters()) {
        grads.add(p.grad() == null ? null : p.grad().dup()); // the head is not in this loss
        params.add(p.data().dup());
      }
      return new Step(value, grads, params, copies);
    } finally {
      assertEquals(0, cm.memory().currentTotal(), "closing the manager freed everything made under it");
    }
  }

  @Test
  void aTrainingStepRunsThroughTheSeamAndMatchesTheCpuBackend() {
    CountingBackend counting = new CountingBackend();
    Step seen = trainStep(counting);
    Step plain;
    try (Backend cpu = Backends.cpu()) {
      plain = trainStep(cpu);
    }
    assertEquals(plain.loss(), seen.loss(), 0.0, "same loss, bit for bit");
    for (int i = 0; i < plain.grads().size(); i++) {
      assertEquals(plain.grads().get(i), seen.grads().get(i), "gradient of parameter " + i);
    }
    for (String op : List.of("zeros", "convolutionForward", "convolutionBackwardInput", "convolutionBackwardWeight",
        "pointwise", "pointwiseBackward", "groupMoments", "normalize", "normalizeBackward", "scatterAddRows",
        "gatherRows", "gemm", "columnSums", "addRowVector")) {
      assertTrue(counting.count(op) > 0, op + " ran through the backend: " + counting.calls());
    }
    counting.close();
  }

  @Test
  void aTrainingStepOnABackendWithItsOwnMemoryMatchesTheCpuBackend() {
    Step plain;
    try (Backend cpu = Backends.cpu()) {
      plain = trainStep(cpu);
    }
    try (SeparateMemoryBackend separate = new SeparateMemoryBackend()) {
      Step seen = trainStep(separate);
      assertEquals(plain.loss(), seen.loss(), 0.0, "same loss, bit for bit, with no buffer an ND4J view");
      for (int i = 0; i < plain.grads().size(); i++) {
        assertEquals(plain.grads().get(i), seen.grads().get(i), "gradient of parameter " + i);
      }
      Map<String, Long> copies = seen.copies();
      for (String k : copies.keySet()) {
        assertTrue(k.startsWith("to device") || k.equals("to host Pruning.forward") || k.equals("to host Gradient.moveToArray"),
            "a training step copies to the host only the pruning logits and the parameters' gradients; also: " + copies);
      }
      long parameterBytes = 4L * PruningUNet.builder().setDimension(3).setChannels(4, 8, 8).optFirstDecoderKernel(2)
          .optSeed(3).build().parameterCount();
      assertTrue(copies.getOrDefault("to host Gradient.moveToArray", 0L) <= parameterBytes,
          "only parameter-sized gradients reach the host: " + copies + ", parameters " + parameterBytes + " bytes");
      assertEquals(0, separate.openBorrowed(), () -> "borrowed copies left open (a device holds their memory until "
          + "they are collected), made at:\n" + separate.openBorrowedSites());
    }
  }

  @Test
  void withTheParametersOnTheBackendAStepCopiesNoWeightAndNoParameterGradient() {
    Step plain;
    try (Backend cpu = Backends.cpu()) {
      plain = trainStep(cpu, true); // moving to the CPU keeps them in host memory: the plain step
    }
    try (SeparateMemoryBackend separate = new SeparateMemoryBackend()) {
      Step seen = trainStep(separate, true);
      assertEquals(plain.loss(), seen.loss(), 0.0, "same loss after an Adam step on the device, bit for bit");
      for (int i = 0; i < plain.grads().size(); i++) {
        assertEquals(plain.grads().get(i), seen.grads().get(i), "gradient of parameter " + i);
        assertEquals(plain.params().get(i), seen.params().get(i), "parameter " + i + " after two Adam steps");
      }
      Map<String, Long> copies = seen.copies();
      long logits = copies.getOrDefault("to host Pruning.forward", 0L);
      long small = 0; // biases and normalization gammas and betas: their gradients are made from host sums
      for (Parameter p : PruningUNet.builder().setDimension(3).setChannels(4, 8, 8).optFirstDecoderKernel(2).optSeed(3)
          .build().parameters()) {
        small += p.role() == Parameter.Role.WEIGHT ? 0 : p.bytes();
      }
      long vectors = 0;
      for (Map.Entry<String, Long> e : copies.entrySet()) {
        String k = e.getKey();
        if (k.startsWith("to device Normalization") || k.startsWith("to host Normalization")
            || k.matches("to device SparseFunctions\\$\\d+\\.backwardBuffers")) {
          vectors += e.getValue();
        } else {
          assertEquals("to host Pruning.forward", k, "with the parameters on the backend a step copies the pruning "
              + "logits and vector-sized sums, no weight, no weight gradient and no loss gradient (made on the "
              + "backend); all: " + copies);
        }
      }
      assertTrue(logits > 0, copies.toString());
      assertTrue(vectors <= 2 * small, "vector copies " + vectors + " bytes, small parameters " + small + ": " + copies);
      assertEquals(0, separate.openBorrowed(), () -> "borrowed copies left open, made at:\n" + separate.openBorrowedSites());
    }
  }

  @Test
  void inferenceOnABackendWithItsOwnMemoryCopiesOnlyWeightsInAndPruningLogitsOut() {
    PruningUNet net = PruningUNet.builder().setDimension(3).setChannels(4, 8, 8).optFirstDecoderKernel(2).optSeed(3)
        .build();
    net.eval();
    try (SeparateMemoryBackend separate = new SeparateMemoryBackend();
        CoordinateManager cm = new CoordinateManager(3, separate);
        NoGrad ng = NoGrad.enter()) {
      SparseTensor x = tensor(cm, NnTesting.shell(5, 8, true));
      Map<String, Long> before = separate.copies();
      net.forward(Variable.of(x, false), null);
      Map<String, Long> during = separate.copies();
      before.forEach((k, v) -> during.merge(k, -v, Long::sum));
      during.values().removeIf(v -> v == 0);
      for (String k : during.keySet()) {
        assertTrue(k.startsWith("to device") || k.equals("to host Pruning.forward"),
            "a forward pass copies features to the host only for pruning (one logit a site); also copied: " + during);
      }
      assertTrue(during.containsKey("to host Pruning.forward"), during.toString());
    }
  }

  /** A sparse op of a user's, with only an array backward that doubles the gradient in place and hands it on. */
  private static Variable doubled(Variable x) {
    SparseTensor out = x.tensor().withFeatures(x.data().mul(2));
    Node node = new Node(x) {
      @Override
      protected INDArray[] backward(INDArray g) {
        return new INDArray[] {g.muli(2)};
      }
    };
    return Variables.result(out, node);
  }

  private static List<INDArray> mixedChain(Backend backend) {
    try (CoordinateManager cm = new CoordinateManager(3, backend)) {
      List<int[]> rows = NnTesting.shell(4, 6, false);
      SparseTensor t = SparseTensor.create(cm, Coordinates.of(rows.toArray(new int[0][])), TensorStride.uniform(3, 1),
          Nd4j.rand(DataType.FLOAT, rows.size(), 3).subi(0.5));
      Variable x = Variable.of(t, true);
      // buffer node, array node writing the gradient in place, buffer node: the gradient changes form twice
      Variable y = Activations.elu(doubled(Activations.elu(x, 1.0)), 1.0);
      INDArray seed = Nd4j.rand(DataType.FLOAT, y.shape()).subi(0.5);
      List<INDArray> out = new ArrayList<>(List.of(y.data().dup()));
      y.backward(seed);
      out.add(x.grad().dup());
      return out;
    }
  }

  @Test
  void aGradientWrittenOnTheHostBetweenBufferNodesReachesTheDevice() {
    Nd4j.getRandom().setSeed(5);
    List<INDArray> plain;
    try (Backend cpu = Backends.cpu()) {
      plain = mixedChain(cpu);
    }
    Nd4j.getRandom().setSeed(5);
    try (SeparateMemoryBackend separate = new SeparateMemoryBackend()) {
      List<INDArray> seen = mixedChain(separate);
      assertEquals(plain.get(0), seen.get(0), "forward");
      assertEquals(plain.get(1), seen.get(1), "the input's gradient, doubled on the host between two device nodes");
    }
  }
}
