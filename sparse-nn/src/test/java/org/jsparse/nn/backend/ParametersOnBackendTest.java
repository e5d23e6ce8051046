package org.jsparse.nn.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Module;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.io.TrainingCheckpoint;
import org.jsparse.nn.models.CompletionNet;
import org.jsparse.nn.models.PruningUNet;
import org.jsparse.nn.optim.Adam;
import org.jsparse.nn.optim.Optimizer;
import org.jsparse.nn.optim.Sgd;
import org.jsparse.nn.testing.NnTesting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Module#to}: parameters in a backend's own memory ({@link SeparateMemoryBackend}, a GPU's
 * copy semantics on the CPU) train bit for bit as in host memory with either optimizer, move there
 * and back without changing a value, take the optimizer's state along when they move after it was
 * made, and save to and load from a checkpoint.
 */
class ParametersOnBackendTest {
  private static PruningUNet net() {
    return PruningUNet.builder().setDimension(3).setChannels(4, 8, 8).optFirstDecoderKernel(2).optSeed(3).build();
  }

  private static SparseTensor tensor(CoordinateManager cm, boolean input) {
    List<int[]> rows = NnTesting.shell(5, 8, input);
    return SparseTensor.create(cm, Coordinates.of(rows.toArray(new int[0][])), TensorStride.uniform(3, 1),
        Nd4j.ones(DataType.FLOAT, rows.size(), 1));
  }

  /** {@code steps} training steps of {@code net} with its manager on {@code backend}; the losses. */
  private static List<Double> train(PruningUNet net, Optimizer opt, Backend backend, int steps) {
    List<Double> losses = new ArrayList<>();
    try (CoordinateManager cm = new CoordinateManager(3, backend)) {
      SparseTensor x = tensor(cm, true);
      SparseTensor target = tensor(cm, false);
      for (int i = 0; i < steps; i++) {
        opt.zeroGrad();
        Variable loss = PruningUNet.loss(net.forward(Variable.of(x, false), target), target);
        losses.add(loss.data().getDouble(0));
        loss.backward();
        opt.step();
      }
    }
    return losses;
  }

  private static List<INDArray> values(Module m) {
    List<INDArray> out = new ArrayList<>();
    m.parameters().forEach(p -> out.add(p.data().dup()));
    return out;
  }

  private static void sameTraining(Function<Module, Optimizer> optimizer) {
    PruningUNet host = net();
    List<Double> expected = train(host, optimizer.apply(host), Backends.cpu(), 3);
    try (SeparateMemoryBackend device = new SeparateMemoryBackend()) {
      PruningUNet moved = net();
      moved.to(device);
      for (Parameter p : moved.parameters()) {
        assertSame(device, p.backend(), "every parameter moved");
      }
      List<Double> seen = train(moved, optimizer.apply(moved), device, 3);
      assertEquals(expected, seen, "losses of three steps, bit for bit");
      assertEquals(values(host), values(moved), "parameters after three steps");
      assertEquals(0, device.openBorrowed(), device::openBorrowedSites);
    }
  }

  @Test
  void adamOnTheBackendTrainsAsInHostMemory() {
    sameTraining(m -> new Adam(m, 0.01, true));
  }

  @Test
  void sgdWithNesterovMomentumOnTheBackendTrainsAsInHostMemory() {
    sameTraining(m -> new Sgd(m, 0.05, 0.9, true, 1e-4));
  }

  @Test
  void movingThereAndBackKeepsEveryValueAndDropsGradients() {
    PruningUNet net = net();
    List<INDArray> before = values(net);
    try (SeparateMemoryBackend device = new SeparateMemoryBackend()) {
      net.to(device);
      assertEquals(before, values(net), "uploaded as they were");
      train(net, new Adam(net, 0.01), device, 1);
      assertTrue(net.parameters().get(0).hasGrad());
      List<INDArray> trained = values(net);
      net.to(Backends.cpu());
      for (Parameter p : net.parameters()) {
        assertNull(p.backend(), "back in host memory");
        assertNull(p.grad(), "the gradient stayed behind");
      }
      assertEquals(trained, values(net), "downloaded as they were");
      net.castTo(DataType.DOUBLE).to(device);
      assertEquals(DataType.DOUBLE, net.dataType());
      net.castTo(DataType.FLOAT);
      assertEquals(DataType.FLOAT, net.parameters().get(0).variable().buffer().dataType(), "cast where it lives");
      assertEquals(trained, values(net), "float -> double -> float changes nothing");
    }
  }

  @Test
  void anOptimizerMadeBeforeTheMoveTakesItsStateAlong() {
    PruningUNet host = net();
    Adam hostAdam = new Adam(host, 0.01, true);
    List<Double> expected = train(host, hostAdam, Backends.cpu(), 2);
    PruningUNet moved = net();
    Adam movedAdam = new Adam(moved, 0.01, true);
    List<Double> seen = new ArrayList<>(train(moved, movedAdam, Backends.cpu(), 1));
    try (SeparateMemoryBackend device = new SeparateMemoryBackend()) {
      moved.to(device);
      seen.addAll(train(moved, movedAdam, device, 1));
      assertEquals(expected, seen, "the second step, on the device, continues the moments of the first");
      assertEquals(values(host), values(moved));
      assertEquals(hostAdam.memory().current(MemoryCategory.OPTIMIZER_STATE),
          movedAdam.memory().current(MemoryCategory.OPTIMIZER_STATE), "the moved state counted once");
    }
  }

  @Test
  void aCheckpointOfAModelOnTheBackendResumesInHostMemoryAndOnTheBackend(@TempDir Path dir) throws Exception {
    PruningUNet reference = net();
    Adam referenceAdam = new Adam(reference, 0.01, true);
    List<Double> expected = train(reference, referenceAdam, Backends.cpu(), 3);
    Path file = dir.resolve("run.ckpt");
    try (SeparateMemoryBackend device = new SeparateMemoryBackend()) {
      PruningUNet onDevice = net();
      onDevice.to(device);
      Adam adam = new Adam(onDevice, 0.01, true);
      List<Double> first = train(onDevice, adam, device, 2);
      assertEquals(expected.subList(0, 2), first);
      TrainingCheckpoint.save(file, onDevice, adam, null);
      assertTrue(Files.size(file) > 0);
    }
    PruningUNet resumed = net();
    Adam resumedAdam = new Adam(resumed, 0.01, true);
    TrainingCheckpoint.load(file, resumed, resumedAdam, null);
    assertEquals(expected.subList(2, 3), train(resumed, resumedAdam, Backends.cpu(), 1), "the third step, resumed");
    assertEquals(values(reference), values(resumed));
    try (SeparateMemoryBackend device = new SeparateMemoryBackend()) {
      PruningUNet again = net();
      again.to(device);
      Adam againAdam = new Adam(again, 0.01, true);
      TrainingCheckpoint.load(file, again, againAdam, null); // parameters and slots written where they live
      assertEquals(expected.subList(2, 3), train(again, againAdam, device, 1), "the third step, resumed on the device");
      assertEquals(values(reference), values(again));
    }
  }

  /** One CompletionNet CH1 step on a sphere shell in 96^3 with the parameters on {@code backend}: loss, parameters after. */
  private static List<Object> completionStep(Backend backend) {
    PruningUNet net = CompletionNet.build(CompletionNet.CH1, 1);
    net.to(backend);
    Adam adam = new Adam(net, 1e-3, true);
    List<Object> out = new ArrayList<>();
    try (CoordinateManager cm = new CoordinateManager(3, backend)) {
      List<int[]> in = NnTesting.shell(38, 48, true);
      List<int[]> tg = NnTesting.shell(38, 48, false);
      SparseTensor x = SparseTensor.create(cm, Coordinates.of(in.toArray(new int[0][])), TensorStride.uniform(3, 1),
          Nd4j.ones(DataType.FLOAT, in.size(), 1));
      SparseTensor t = SparseTensor.create(cm, Coordinates.of(tg.toArray(new int[0][])), TensorStride.uniform(3, 1),
          Nd4j.ones(DataType.FLOAT, tg.size(), 1));
      Variable loss = PruningUNet.loss(net.forward(Variable.of(x, false), t), t);
      out.add(loss.data().getDouble(0));
      loss.backward();
      adam.step();
    }
    out.addAll(values(net));
    return out;
  }

  @Test
  void aCompletionNetStepWithItsParametersOnTheBackendIsTheHostsBitForBit() {
    List<Object> host = completionStep(Backends.cpu());
    try (SeparateMemoryBackend device = new SeparateMemoryBackend()) {
      Map<String, Long> before = device.copies();
      List<Object> seen = completionStep(device);
      assertEquals(host, seen, "loss and every parameter after one Adam step");
      Map<String, Long> copies = device.copies();
      before.forEach((k, v) -> copies.merge(k, -v, Long::sum));
      long weights = 4 * CompletionNet.build(CompletionNet.CH1, 1).parameterCount();
      long up = copies.entrySet().stream().filter(e -> e.getKey().startsWith("to device") && !e.getKey()
          .contains("Parameter")).mapToLong(Map.Entry::getValue).sum();
      assertTrue(!copies.containsKey("to device Gradient.buffer"),
          "the losses' gradients of the logits are made on the backend, not uploaded: " + copies);
      assertTrue(up < weights, "a step sends less than the weights' size (" + weights + " bytes): " + copies);
      assertEquals(0, device.openBorrowed(), device::openBorrowedSites);
    }
  }

  @Test
  void aParameterRefusesValuesOfAnotherShape() {
    try (SeparateMemoryBackend device = new SeparateMemoryBackend()) {
      Parameter p = net().to(device).parameters().get(0);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> p.set(Nd4j.zeros(DataType.FLOAT, 2, 2)));
      assertTrue(e.getMessage().contains("parameter has shape"), e.getMessage());
    }
  }
}
