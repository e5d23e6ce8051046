package org.jsparse.examples.ct;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.convert.VolumeMasks;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.examples.skull.SkullCompletion;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.TensorScope;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.io.TrainingCheckpoint;
import org.jsparse.nn.models.PruningUNet;
import org.jsparse.nn.optim.Adam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Skull completion on the real head CT, the seed's recipe: the solid bone of {@link SkullRecipe}
 * at R^3, a random defect cut out of its top at every step ({@link Defects}; mirrored left-right
 * half the time), the edge of the defective skull as input and that edge plus the solid implant as
 * target ({@link ImplantCase}). Then, on held-out defects, the implant (predicted sites not in the
 * input) against the removed bone: its Dice as predicted and after the seed's post-processing (a
 * binary opening, then the largest connected component), and NIfTI volumes and a PNG of the first
 * of them.
 */
public final class CtSkullCompletion {
  /**
   * Settings of one run: the learning rate falls to a tenth after {@code lrDropAt} of the steps
   * (1: never).
   */
  public record Settings(Path ct, int size, int steps, double learningRate, double lrDropAt, long seed, int heldOut,
      int evalEvery, Path out, Backend backend) {}

  /** The held-out Dice figures after {@code step} training steps, means over the held-out defects. */
  public record Evaluation(int step, double implantDice, double postProcessedDice, double skullDice) {}

  /**
   * What the run measured: losses, the held-out implant Dice (predicted sites not in the input
   * against the removed bone) and the same after the seed's post-processing (a binary opening,
   * then the largest connected component), the completed skull's Dice, the complete skull's edge
   * and bone sites, and the held-out figures every {@code evalEvery} steps (the last is the final one).
   */
  public record Result(double firstLoss, double lastLoss, double meanImplantDice, double meanPostProcessedDice,
      double meanSkullDice, int surfaceSites, int boneSites, long peakTrainingBytes, double seconds,
      double[] stepLosses, List<Evaluation> evaluations) {
    /** A copy of every step's loss. */
    @Override
    public double[] stepLosses() {
      return stepLosses.clone();
    }
  }

  private CtSkullCompletion() {}

  public static Result run(Settings s, PrintStream log, SkullCompletion.Progress progress) throws IOException {
    long started = System.nanoTime();
    int r = s.size();
    boolean[] bone = SkullRecipe.bone(s.ct(), r);
    boolean[] surface = VolumeMasks.shell(bone, new int[] {r, r, r});
    int sites = count(surface);
    int boneSites = count(bone);
    int capFrom = Defects.capStart(surface, r);
    PruningUNet net = SkullCompletion.network(r, s.seed());
    net.to(s.backend()); // on a GPU the weights, their gradients and Adam's moments stay there
    Adam adam = new Adam(net, s.learningRate(), true);
    log.printf(Locale.ROOT, "CT skull completion: %d^3 grid, %,d edge sites of %,d bone voxels, %d steps, %,d parameters%n",
        r, sites, boneSites, s.steps(), net.parameterCount());
    SplittableRandom test = new SplittableRandom(s.seed() * 7919 + 1);
    List<Defects.Defect> heldOut = new ArrayList<>();
    for (int t = 0; t < s.heldOut(); t++) {
      heldOut.add(Defects.random(surface, r, test));
    }
    List<Evaluation> evaluations = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(s.seed());
    double first = Double.NaN;
    double last = Double.NaN;
    double recent = 0;
    double[] losses = new double[s.steps()];
    long peak = 0;
    int dropAfter = (int) Math.round(s.lrDropAt() * s.steps());
    for (int step = 1; step <= s.steps(); step++) {
      if (step == dropAfter + 1 && dropAfter < s.steps()) {
        adam.setLearningRate(s.learningRate() / 10);
      }
      Defects.Defect d = Defects.random(surface, r, rnd);
      boolean mirror = rnd.nextBoolean();
      try (CoordinateManager cm = new CoordinateManager(3, s.backend())) {
        ImplantCase pair = ImplantCase.cut(bone, r, d);
        SparseTensor x = occupancy(cm, pair.input(), r, mirror);
        SparseTensor y = occupancy(cm, pair.target(), r, mirror);
        cm.memory().resetPeaks();
        adam.zeroGrad();
        Variable loss = PruningUNet.loss(net.forward(Variable.of(x, false), y), y);
        loss.backward();
        adam.step();
        peak = Math.max(peak, cm.memory().peakTotal());
        double value = loss.data().getDouble(0);
        losses[step - 1] = value;
        first = step == 1 ? value : first;
        recent = step == 1 ? value : 0.9 * recent + 0.1 * value;
        last = recent;
        if (progress != null) {
          progress.stepDone(1, 1, step, s.steps(), value, x.size());
        }
      }
      if (s.evalEvery() > 0 && step % s.evalEvery() == 0 && step < s.steps()) {
        Evaluation e = evaluate(net, s.backend(), bone, r, capFrom, heldOut, step, null);
        evaluations.add(e);
        log.printf(Locale.ROOT, "held-out after %d steps: implant Dice %.3f (%.3f post-processed), skull Dice %.3f%n",
            step, e.implantDice(), e.postProcessedDice(), e.skullDice());
      }
    }
    TrainingCheckpoint.save(s.out().resolve("model.ckpt"), net, adam, null);
    Evaluation end = evaluate(net, s.backend(), bone, r, capFrom, heldOut, s.steps(), s.out());
    evaluations.add(end);
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Result(first, last, end.implantDice(), end.postProcessedDice(), end.skullDice(), sites, boneSites, peak,
        seconds, losses, List.copyOf(evaluations));
  }

  /**
   * The mean Dice figures over the held-out defects of the {@code r^3} bone; the first one's volumes
   * and PNG (the top cap from {@code capFrom} along x) go into {@code out} when not null.
   */
  static Evaluation evaluate(PruningUNet net, Backend backend, boolean[] bone, int r, int capFrom,
      List<Defects.Defect> heldOut, int step, Path out) throws IOException {
    double[] sum = new double[3];
    for (int t = 0; t < heldOut.size(); t++) {
      double[] dice = evaluate(net, backend, ImplantCase.cut(bone, r, heldOut.get(t)), t == 0 ? out : null, capFrom);
      for (int k = 0; k < 3; k++) {
        sum[k] += dice[k] / heldOut.size();
      }
    }
    return new Evaluation(step, sum[1], sum[2], sum[0]);
  }

  /**
   * Dice of the completed skull, of the implant and of the post-processed implant for one pair;
   * writes volumes and a PNG (the top cap from {@code capFrom} along x) into {@code out}
   * when not null.
   */
  static double[] evaluate(PruningUNet net, Backend backend, ImplantCase pair, Path out, int capFrom) throws IOException {
    int r = pair.resolution();
    boolean[] predicted = predict(net, backend, pair.input(), r);
    int[] shape = {r, r, r};
    boolean[] raw = new boolean[predicted.length];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = predicted[i] && !pair.input()[i];
    }
    boolean[] processed = Morphology.largestComponent(Morphology.opening(raw, shape), shape);
    boolean[] target = pair.target();
    if (out != null) {
      byte[] input = new byte[raw.length];
      byte[] truth = new byte[raw.length];
      byte[] completed = new byte[raw.length];
      for (int i = 0; i < raw.length; i++) {
        input[i] = (byte) (pair.input()[i] ? 1 : 0);
        truth[i] = (byte) (pair.implant()[i] ? 2 : input[i]);
        completed[i] = (byte) (raw[i] ? 2 : predicted[i] ? 1 : 0);
      }
      Nifti.writeLabels(out.resolve("input.nii"), input, shape, 1.0);
      Nifti.writeLabels(out.resolve("prediction.nii"), completed, shape, 1.0);
      Nifti.writeLabels(out.resolve("truth.nii"), truth, shape, 1.0);
      Projections.write(out.resolve("input-prediction-truth.png"), r, capFrom, input, completed, truth);
    }
    return new double[] {dice(predicted, target), dice(raw, pair.implant()), dice(processed, pair.implant())};
  }

  /** The sites the network predicts (logit > 0) inside the grid for one input edge, without the tape. */
  static boolean[] predict(PruningUNet net, Backend backend, boolean[] input, int r) {
    boolean[] predicted = new boolean[input.length];
    net.eval();
    try (CoordinateManager cm = new CoordinateManager(3, backend); NoGrad ng = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
      PruningUNet.Output o = net.forward(Variable.of(occupancy(cm, input, r, false), false), null);
      Coordinates c = o.logits().tensor().coordinates();
      INDArray logits = o.logits().data();
      for (int row = 0; row < c.size(); row++) {
        int z = c.get(row, 0);
        int y = c.get(row, 1);
        int x = c.get(row, 2);
        if (logits.getDouble(row, 0) > 0 && z >= 0 && z < r && y >= 0 && y < r && x >= 0 && x < r) {
          predicted[(z * r + y) * r + x] = true;
        }
      }
    } finally {
      net.train();
    }
    return predicted;
  }

  /** Dice of two masks (1 when both are empty). */
  static double dice(boolean[] a, boolean[] b) {
    long both = 0;
    long na = 0;
    long nb = 0;
    for (int i = 0; i < a.length; i++) {
      na += a[i] ? 1 : 0;
      nb += b[i] ? 1 : 0;
      both += a[i] && b[i] ? 1 : 0;
    }
    return na + nb == 0 ? 1 : 2.0 * both / (na + nb);
  }

  private static int count(boolean[] mask) {
    int n = 0;
    for (boolean b : mask) {
      n += b ? 1 : 0;
    }
    return n;
  }

  /** The mask's sites as a batch-0 tensor with feature 1, mirrored along y on request. */
  static SparseTensor occupancy(CoordinateManager cm, boolean[] mask, int r, boolean mirror) {
    List<int[]> rows = new ArrayList<>();
    for (int i = 0; i < mask.length; i++) {
      if (mask[i]) {
        int y = i / r % r;
        rows.add(new int[] {0, i / (r * r), mirror ? r - 1 - y : y, i % r});
      }
    }
    return SparseTensor.create(cm, Coordinates.of(rows.toArray(new int[0][])), TensorStride.uniform(3, 1),
        Nd4j.ones(DataType.FLOAT, rows.size(), 1));
  }
}
