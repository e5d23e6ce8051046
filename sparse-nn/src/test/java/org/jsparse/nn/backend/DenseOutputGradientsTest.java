package org.jsparse.nn.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.ops.PoolingMode;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.Activations;
import org.jsparse.nn.functional.Losses;
import org.jsparse.nn.functional.PerBatch;
import org.jsparse.nn.functional.SparseFunctions;
import org.jsparse.nn.layers.Convolution;
import org.jsparse.nn.testing.NnTesting;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Nodes with a dense output and a sparse input (global pooling, binary cross-entropy and soft Dice
 * against a sparse target), and the per-batch broadcasts that take such an output back to the sites,
 * give their input's gradient as a buffer of its backend: on a backend with memory of its own
 * ({@link SeparateMemoryBackend}) a step through them equals the CPU's bit for bit, and no
 * site-sized gradient is copied to the host or back.
 */
class DenseOutputGradientsTest {
  /** conv -> global pooling (each mode) -> mse, conv -> bce and conv -> sigmoid -> soft Dice against a sparse target: the losses and weight gradients. */
  private static List<Object> step(Backend backend, Map<String, Long> copies) {
    List<Object> out = new ArrayList<>();
    try (CoordinateManager cm = new CoordinateManager(3, backend)) {
      List<int[]> in = NnTesting.shell(6, 10, true);
      SparseTensor x = SparseTensor.create(cm, Coordinates.of(in.toArray(new int[0][])), TensorStride.uniform(3, 1),
          Nd4j.ones(DataType.FLOAT, in.size(), 1));
      List<int[]> tg = NnTesting.shell(6, 10, false);
      SparseTensor target = SparseTensor.create(cm, Coordinates.of(tg.toArray(new int[0][])), TensorStride.uniform(3, 1),
          Nd4j.ones(DataType.FLOAT, tg.size(), 1));
      for (PoolingMode mode : PoolingMode.values()) {
        Convolution conv = Convolution.builder().setDimension(3).setChannels(1, 5).setKernelSize(3).optSeed(4).build();
        conv.to(backend);
        Variable pooled = SparseFunctions.globalPool(conv.forward(Variable.of(x, false)), mode);
        double[] values = new double[(int) pooled.data().length()];
        for (int i = 0; i < values.length; i++) {
          values[i] = Math.sin(i);
        }
        INDArray goal = Nd4j.create(values, pooled.data().shape(), DataType.FLOAT);
        Variable loss = Losses.mse(pooled, goal);
        out.add(loss.data().getDouble(0));
        loss.backward();
        out.add(conv.parameters().get(0).grad());
      }
      { // squeeze-and-excitation style: the pooled vector scales and shifts every site of its item
        Convolution conv = Convolution.builder().setDimension(3).setChannels(1, 4).setKernelSize(3).optSeed(7).build();
        conv.to(backend);
        Variable h = conv.forward(Variable.of(x, false));
        Variable gate = SparseFunctions.globalPool(h, PoolingMode.AVERAGE);
        Variable y = PerBatch.broadcastAdd(PerBatch.broadcastMultiply(h, gate), gate);
        Variable loss = Losses.mse(SparseFunctions.globalPool(y, PoolingMode.MAX), gate.data().mul(0.5));
        out.add(loss.data().getDouble(0));
        loss.backward();
        out.add(conv.parameters().get(0).grad());
      }
      Convolution head = Convolution.builder().setDimension(3).setChannels(1, 1).setKernelSize(3).optSeed(5).build();
      head.to(backend);
      Variable loss = Losses.bceWithLogits(head.forward(Variable.of(x, false)), target);
      out.add(loss.data().getDouble(0));
      loss.backward();
      out.add(head.parameters().get(0).grad());
      for (int stride : new int[] {1, 2}) { // a target at the prediction's stride, and one finer than it
        Convolution p = Convolution.builder().setDimension(3).setChannels(1, 1).setKernelSize(3).optStride(stride)
            .optSeed(6).build();
        p.to(backend);
        Variable dice = Losses.softDice(Activations.sigmoid(p.forward(Variable.of(x, false))), target, 1);
        out.add(dice.data().getDouble(0));
        dice.backward();
        out.add(p.parameters().get(0).grad());
      }
    }
    if (backend instanceof SeparateMemoryBackend s) {
      copies.putAll(s.copies());
    }
    return out;
  }

  /** conv -> mse against a host target: the loss, the weight gradient and the copies. */
  private static List<Object> mseStep(Backend backend, Map<String, Long> copies) {
    List<Object> out = new ArrayList<>();
    try (CoordinateManager cm = new CoordinateManager(3, backend)) {
      List<int[]> in = NnTesting.shell(6, 10, true);
      SparseTensor x = SparseTensor.create(cm, Coordinates.of(in.toArray(new int[0][])), TensorStride.uniform(3, 1),
          Nd4j.ones(DataType.FLOAT, in.size(), 1));
      Convolution conv = Convolution.builder().setDimension(3).setChannels(1, 3).setKernelSize(3).optSeed(8).build();
      conv.to(backend);
      double[] goal = new double[3 * in.size()];
      for (int i = 0; i < goal.length; i++) {
        goal[i] = Math.cos(i);
      }
      Variable loss = Losses.mse(conv.forward(Variable.of(x, false)), Nd4j.create(goal, new long[] {in.size(), 3},
          DataType.FLOAT));
      out.add(loss.data().getDouble(0));
      loss.backward();
      out.add(conv.parameters().get(0).grad());
    }
    if (backend instanceof SeparateMemoryBackend s) {
      copies.putAll(s.copies());
    }
    return out;
  }

  @Test
  void mseOfASparseValueSendsOnlyItsTarget() {
    List<Object> host = mseStep(Backends.cpu(), new java.util.TreeMap<>());
    try (SeparateMemoryBackend device = new SeparateMemoryBackend()) {
      Map<String, Long> copies = new java.util.TreeMap<>();
      assertEquals(host, mseStep(device, copies), "loss and weight gradient, bit for bit");
      long target = 4L * 3 * NnTesting.shell(6, 10, true).size();
      for (Map.Entry<String, Long> e : copies.entrySet()) {
        String k = e.getKey();
        if (k.startsWith("to device Losses")) {
          assertEquals(target, e.getValue(), "the target goes up once for the loss, once for its gradient: " + copies);
        } else {
          assertTrue(k.contains("Parameter") || k.endsWith("DenseOutputGradientsTest.mseStep"),
              "nothing else crosses but the input and the parameters: " + copies);
        }
      }
      assertEquals(0, device.openBorrowed(), device::openBorrowedSites);
    }
  }

  @Test
  void globalPoolingAndTheLossGiveBufferGradientsAndMatchTheCpu() {
    List<Object> host = step(Backends.cpu(), new java.util.TreeMap<>());
    try (SeparateMemoryBackend device = new SeparateMemoryBackend()) {
      Map<String, Long> copies = new java.util.TreeMap<>();
      List<Object> seen = step(device, copies);
      assertEquals(host, seen, "losses and weight gradients, bit for bit");
      int sites = NnTesting.shell(6, 10, true).size();
      for (Map.Entry<String, Long> e : copies.entrySet()) {
        boolean parameterCopy = e.getKey().contains("Parameter");
        assertTrue(parameterCopy || e.getValue() < 4L * sites || e.getKey().endsWith("DenseOutputGradientsTest.step"),
            "no site-sized copy but the inputs and the parameters: " + copies);
      }
      long perItem = 4L * 5; // a [B = 1, C <= 5] float gradient: all of a pooled value's that may cross
      assertTrue(copies.getOrDefault("to host Gradient.moveToArray", 0L) <= perItem
          && !copies.containsKey("to device Gradient.buffer"),
          "the gradients below the dense outputs stay on the backend, only per-item vectors cross: " + copies);
      assertEquals(0, device.openBorrowed(), device::openBorrowedSites);
    }
  }
}
