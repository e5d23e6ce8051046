package org.jsparse.examples.device;

import java.util.ArrayList;
import java.util.List;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.models.CompletionNet;
import org.jsparse.nn.models.PruningUNet;
import org.jsparse.nn.optim.Adam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains the completion network (CompletionNet CH1, Adam with amsgrad) for a few steps on a
 * device and on the CPU, from the same weights and data (a hollow sphere with a cap cut away, to
 * be completed), and compares: the losses step by step and the parameters after the last step.
 * The answer to "does this library compute on my GPU what it computes on my CPU, and how fast".
 */
public final class DeviceCheck {
  private DeviceCheck() {}

  /** What to run: grid side, steps, learning rate and seed. */
  public record Settings(int size, int steps, double learningRate, long seed) {}

  /**
   * One backend's run: its losses, per-step seconds, the peaks of the manager's ledger (activations,
   * maps) and of the optimizer's (parameters, gradients, Adam's moments), and the parameters after the run.
   */
  public record Run(String device, List<Double> losses, List<Double> seconds, long peakBytes, long trainingStateBytes,
      List<INDArray> parameters) {}

  /** Both runs and how far apart they ended. */
  public record Comparison(Run cpu, Run device, int inputSites, int targetSites, double maxLossDifference,
      double maxParameterDifference) {
    /** True when the device agrees with the CPU within float tolerance (relative 1e-3 of the loss, 1e-3 of the largest weight). */
    public boolean agrees() {
      return maxLossDifference <= 1e-3 && maxParameterDifference <= 1e-3;
    }
  }

  /** The sphere shell of radius 0.4 size, one batch item; with {@code cut} its top cap is missing (the network's input). */
  static int[][] shell(int size, boolean cut) {
    double c = (size - 1) / 2.0;
    double r = 0.4 * size;
    List<int[]> rows = new ArrayList<>();
    for (int x = 0; x < size; x++) {
      for (int y = 0; y < size; y++) {
        for (int z = 0; z < size; z++) {
          double d = Math.sqrt((x - c) * (x - c) + (y - c) * (y - c) + (z - c) * (z - c));
          if (Math.abs(d - r) < 0.9 && !(cut && z > c + r / 2)) {
            rows.add(new int[] {0, x, y, z});
          }
        }
      }
    }
    return rows.toArray(new int[0][]);
  }

  private static SparseTensor ones(CoordinateManager cm, int[][] sites) {
    return SparseTensor.create(cm, Coordinates.of(sites), TensorStride.uniform(3, 1), Nd4j.ones(DataType.FLOAT, sites.length, 1));
  }

  /** Trains a fresh network on {@code backend}, its parameters moved there, for the settings' steps. */
  static Run train(Settings s, Backend backend, int[][] input, int[][] target) {
    PruningUNet net = CompletionNet.build(CompletionNet.CH1, s.seed());
    net.to(backend);
    Adam adam = new Adam(net, s.learningRate(), true);
    List<Double> losses = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    long peak;
    try (CoordinateManager cm = new CoordinateManager(3, backend)) {
      SparseTensor x = ones(cm, input);
      SparseTensor t = ones(cm, target);
      for (int step = 0; step < s.steps(); step++) {
        long start = System.nanoTime();
        adam.zeroGrad();
        Variable loss = PruningUNet.loss(net.forward(Variable.of(x, false), t), t);
        losses.add(loss.data().getDouble(0));
        loss.backward();
        adam.step();
        seconds.add((System.nanoTime() - start) / 1e9);
      }
      peak = cm.memory().peakTotal();
    }
    List<INDArray> params = new ArrayList<>();
    for (Parameter p : net.parameters()) {
      params.add(p.data().castTo(DataType.DOUBLE));
    }
    net.to(Backends.cpu()); // frees the device's copies before the backend closes
    return new Run(backend.device(), losses, seconds, peak, adam.memory().peakTotal(), params);
  }

  /** Runs the settings on the CPU and on {@code device} and compares them. */
  public static Comparison run(Settings s, Backend device) {
    int[][] input = shell(s.size(), true);
    int[][] target = shell(s.size(), false);
    Run cpu;
    try (Backend host = Backends.cpu()) {
      cpu = train(s, host, input, target);
    }
    Run dev = train(s, device, input, target);
    double lossDiff = 0;
    for (int i = 0; i < s.steps(); i++) {
      double a = cpu.losses().get(i);
      lossDiff = Math.max(lossDiff, Math.abs(a - dev.losses().get(i)) / Math.max(1e-12, Math.abs(a)));
    }
    double largest = 0;
    double paramDiff = 0;
    for (int i = 0; i < cpu.parameters().size(); i++) {
      largest = Math.max(largest, cpu.parameters().get(i).amaxNumber().doubleValue());
      paramDiff = Math.max(paramDiff, cpu.parameters().get(i).sub(dev.parameters().get(i)).amaxNumber().doubleValue());
    }
    return new Comparison(cpu, dev, input.length, target.length, lossDiff, largest == 0 ? paramDiff : paramDiff / largest);
  }
}
