package org.jsparse.examples.skull;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.TensorScope;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.io.TrainingCheckpoint;
import org.jsparse.nn.models.CompletionNet;
import org.jsparse.nn.models.PruningUNet;
import org.jsparse.nn.optim.Adam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The skull-completion example end to end: makes procedural skulls with defects, trains the
 * completion network (Adam with amsgrad, per-level BCE, teacher forcing) on the defective skulls
 * against the complete ones, then completes a held-out skull and reports Dice of the skull and of
 * the implant (prediction minus input), and the sparse training memory next to what dense
 * activations of the same network would need.
 */
public final class SkullCompletion {
  /** Settings of one run. */
  public record Settings(int size, int trainingSkulls, int epochs, double learningRate, long seed, Path checkpoint,
      Backend backend) {}

  /** What the run measured; {@code epochLosses} holds the mean loss of every epoch. */
  public record Result(double firstLoss, double lastLoss, double skullDice, double implantDice,
      double inputSkullDice, long peakTrainingBytes, long denseActivationBytes, long parameters, double[] epochLosses) {
    @Override
    public double[] epochLosses() {
      return epochLosses.clone();
    }
  }

  /** Told after every training step: for a progress bar. */
  public interface Progress {
    /** Step {@code step} (from 1) of {@code steps} in epoch {@code epoch} (from 1), its loss and sites. */
    void stepDone(int epoch, int epochs, int step, int steps, double loss, long sites);

    /** An epoch ended with mean loss {@code loss}. */
    default void epochDone(int epoch, int epochs, double loss, double seconds) {}

    Progress NONE = (epoch, epochs, step, steps, loss, sites) -> { };
  }

  private SkullCompletion() {}

  /** The network for a grid: the completion network's channels, as many levels as the grid allows (6 at 128^3+). */
  public static PruningUNet network(int size, long seed) {
    int levels = Math.min(6, Integer.numberOfTrailingZeros(Integer.highestOneBit(size)) - 1);
    int[] channels = Arrays.copyOf(CompletionNet.CH1, levels + 1);
    return levels == 6 ? CompletionNet.build(channels, seed)
        : PruningUNet.builder().setDimension(3).setChannels(channels).optFirstDecoderKernel(4).optSeed(seed).build();
  }

  public static Result run(Settings s, PrintStream log) throws IOException {
    return run(s, log, null);
  }

  /**
   * Runs the example; with a {@code progress}, steps and epochs are reported to it instead of as
   * one line per epoch on {@code log}.
   */
  public static Result run(Settings s, PrintStream log, Progress progress) throws IOException {
    PruningUNet net = network(s.size(), s.seed());
    net.to(s.backend()); // on a GPU the weights, their gradients and Adam's moments stay there
    Adam adam = new Adam(net, s.learningRate(), true);
    log.printf(Locale.ROOT, "skull completion: %d^3 grid, %d training skulls, %d epochs, %,d parameters, channels %s%n",
        s.size(), s.trainingSkulls(), s.epochs(), net.parameterCount(), Arrays.toString(net.channels()));
    ProceduralSkull[] train = new ProceduralSkull[s.trainingSkulls()];
    for (int i = 0; i < train.length; i++) {
      train[i] = ProceduralSkull.generate(s.size(), s.seed() * 1000 + i);
    }
    double first = Double.NaN;
    double last = Double.NaN;
    double[] losses = new double[s.epochs()];
    long peak = 0;
    for (int epoch = 0; epoch < s.epochs(); epoch++) {
      double sum = 0;
      long started = System.nanoTime();
      for (int k = 0; k < train.length; k++) {
        ProceduralSkull skull = train[k];
        try (CoordinateManager cm = new CoordinateManager(3, s.backend())) {
          SparseTensor x = occupancy(cm, skull.defective());
          SparseTensor y = occupancy(cm, skull.skull());
          cm.memory().resetPeaks();
          adam.zeroGrad();
          Variable loss = PruningUNet.loss(net.forward(Variable.of(x, false), y), y);
          loss.backward();
          adam.step();
          peak = Math.max(peak, cm.memory().peakTotal());
          double value = loss.data().getDouble(0);
          sum += value;
          if (progress != null) {
            progress.stepDone(epoch + 1, s.epochs(), k + 1, train.length, value, x.size());
          }
        }
      }
      double mean = sum / train.length;
      first = epoch == 0 ? mean : first;
      last = mean;
      losses[epoch] = mean;
      double seconds = (System.nanoTime() - started) / 1e9;
      if (progress != null) {
        progress.epochDone(epoch + 1, s.epochs(), mean, seconds);
      } else {
        log.printf(Locale.ROOT, "epoch %3d  loss %.4f  (%.1f s)%n", epoch, mean, seconds);
      }
    }
    if (s.checkpoint() != null) {
      TrainingCheckpoint.save(s.checkpoint(), net, adam, null);
      log.println("saved " + s.checkpoint());
    }
    ProceduralSkull test = ProceduralSkull.generate(s.size(), s.seed() * 1000 + 999);
    double[] dice = evaluate(net, s.backend(), test);
    long dense = denseActivationBytes(net.channels(), s.size());
    double inputDice = dice(asSet(test.defective()), asSet(test.skull()));
    log.printf(Locale.ROOT, "held-out skull: skull Dice %.3f (the defective input itself scores %.3f), implant Dice %.3f%n",
        dice[0], inputDice, dice[1]);
    log.printf(Locale.ROOT, "training memory (ledger peak, one skull): %.1f MiB sparse; dense activations of the same "
        + "network would take %.1f MiB (forward only)%n", peak / 1048576.0, dense / 1048576.0);
    return new Result(first, last, dice[0], dice[1], inputDice, peak, dense, net.parameterCount(), losses);
  }

  /** Skull and implant Dice of the network's completion of a skull's defective part. */
  static double[] evaluate(PruningUNet net, Backend backend, ProceduralSkull skull) {
    net.eval();
    try (CoordinateManager cm = new CoordinateManager(3, backend); NoGrad ng = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
      SparseTensor x = occupancy(cm, skull.defective());
      PruningUNet.Output out = net.forward(Variable.of(x, false), null);
      Coordinates c = out.logits().tensor().coordinates();
      INDArray logits = out.logits().data();
      Set<List<Integer>> predicted = new HashSet<>();
      for (int r = 0; r < c.size(); r++) {
        if (logits.getDouble(r, 0) > 0) {
          predicted.add(List.of(c.get(r, 0), c.get(r, 1), c.get(r, 2)));
        }
      }
      Set<List<Integer>> truth = asSet(skull.skull());
      Set<List<Integer>> implant = asSet(skull.implant());
      Set<List<Integer>> predictedImplant = new HashSet<>(predicted);
      predictedImplant.removeAll(asSet(skull.defective()));
      return new double[] {dice(predicted, truth), dice(predictedImplant, implant)};
    } finally {
      net.train();
    }
  }

  static double dice(Set<List<Integer>> a, Set<List<Integer>> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1;
    }
    long both = a.stream().filter(b::contains).count();
    return 2.0 * both / (a.size() + b.size());
  }

  private static Set<List<Integer>> asSet(List<int[]> voxels) {
    Set<List<Integer>> s = new HashSet<>();
    voxels.forEach(v -> s.add(List.of(v[0], v[1], v[2])));
    return s;
  }

  /** Features 1 on the voxels, batch 0, stride 1. */
  static SparseTensor occupancy(CoordinateManager cm, List<int[]> voxels) {
    int[][] rows = new int[voxels.size()][];
    for (int i = 0; i < rows.length; i++) {
      int[] v = voxels.get(i);
      rows[i] = new int[] {0, v[0], v[1], v[2]};
    }
    return SparseTensor.create(cm, Coordinates.of(rows), TensorStride.uniform(3, 1), Nd4j.ones(DataType.FLOAT, rows.length, 1));
  }

  /**
   * Forward activation bytes of the same network on a dense grid: every conv output at every grid
   * point of its level (encoder two per level, decoder two per level), float32.
   */
  static long denseActivationBytes(int[] channels, int size) {
    long total = 0;
    for (int level = 0; level < channels.length; level++) {
      long points = (long) Math.pow(Math.max(1, size >> level), 3);
      total += points * channels[level] * (level == 0 ? 1 : 2) * 2;
    }
    return total * Float.BYTES;
  }
}
