package org.jsparse.examples.ct;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
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
 * Skull completion on the real head CT: the bone surface of {@link SkullRecipe} at R^3, a random
 * defect cut out of its top at every step ({@link Defects}; mirrored left-right half the time),
 * the completion network trained to restore the whole surface, then the implant Dice (predicted
 * sites that were not in the input against the removed ones) on held-out defects, and NIfTI
 * volumes and a PNG of the first of them.
 */
public final class CtSkullCompletion {
  /** Settings of one run. */
  public record Settings(Path ct, int size, int steps, double learningRate, long seed, int heldOut, Path out) {}

  /** What the run measured. */
  public record Result(double firstLoss, double lastLoss, double meanImplantDice, double meanSkullDice,
      int surfaceSites, long peakTrainingBytes, double seconds, double[] stepLosses) {
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
    boolean[] surface = SkullRecipe.surface(s.ct(), r);
    int sites = 0;
    for (boolean b : surface) {
      sites += b ? 1 : 0;
    }
    PruningUNet net = SkullCompletion.network(r, s.seed());
    Adam adam = new Adam(net, s.learningRate(), true);
    log.printf(Locale.ROOT, "CT skull completion: %d^3 grid, %,d surface sites, %d steps, %,d parameters%n", r, sites,
        s.steps(), net.parameterCount());
    SplittableRandom rnd = new SplittableRandom(s.seed());
    double first = Double.NaN;
    double last = Double.NaN;
    double recent = 0;
    double[] losses = new double[s.steps()];
    long peak = 0;
    for (int step = 1; step <= s.steps(); step++) {
      Defects.Defect d = Defects.random(surface, r, rnd);
      boolean mirror = rnd.nextBoolean();
      try (CoordinateManager cm = new CoordinateManager(3)) {
        SparseTensor x = occupancy(cm, surface, r, d, mirror);
        SparseTensor y = occupancy(cm, surface, r, null, mirror);
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
    }
    TrainingCheckpoint.save(s.out().resolve("model.ckpt"), net, adam, null);
    SplittableRandom test = new SplittableRandom(s.seed() * 7919 + 1);
    double implantDice = 0;
    double skullDice = 0;
    for (int t = 0; t < s.heldOut(); t++) {
      Defects.Defect d = Defects.random(surface, r, test);
      double[] dice = evaluate(net, surface, r, d, t == 0 ? s.out() : null);
      skullDice += dice[0] / s.heldOut();
      implantDice += dice[1] / s.heldOut();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Result(first, last, implantDice, skullDice, sites, peak, seconds, losses);
  }

  /** Skull and implant Dice of the completion of one defect; writes volumes and a PNG into {@code out} when not null. */
  static double[] evaluate(PruningUNet net, boolean[] surface, int r, Defects.Defect d, Path out) throws IOException {
    net.eval();
    byte[] input = new byte[r * r * r];
    byte[] truth = new byte[r * r * r];
    byte[] predicted = new byte[r * r * r];
    try (CoordinateManager cm = new CoordinateManager(3); NoGrad ng = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
      SparseTensor x = occupancy(cm, surface, r, d, false);
      PruningUNet.Output o = net.forward(Variable.of(x, false), null);
      Coordinates c = o.logits().tensor().coordinates();
      INDArray logits = o.logits().data();
      for (int i = 0; i < surface.length; i++) {
        if (surface[i]) {
          boolean removed = d.contains(i / (r * r), i / r % r, i % r);
          truth[i] = (byte) (removed ? 2 : 1);
          input[i] = (byte) (removed ? 0 : 1);
        }
      }
      for (int row = 0; row < c.size(); row++) {
        int z = c.get(row, 0);
        int y = c.get(row, 1);
        int xx = c.get(row, 2);
        if (logits.getDouble(row, 0) > 0 && z >= 0 && z < r && y >= 0 && y < r && xx >= 0 && xx < r) {
          int i = (z * r + y) * r + xx;
          predicted[i] = (byte) (input[i] == 1 ? 1 : 2);
        }
      }
    } finally {
      net.train();
    }
    if (out != null) {
      int[] shape = {r, r, r};
      Nifti.writeLabels(out.resolve("input.nii"), input, shape, 1.0);
      Nifti.writeLabels(out.resolve("prediction.nii"), predicted, shape, 1.0);
      Nifti.writeLabels(out.resolve("truth.nii"), truth, shape, 1.0);
      Projections.write(out.resolve("input-prediction-truth.png"), r, Defects.capStart(surface, r), input, predicted,
          truth);
    }
    return new double[] {dice(predicted, truth, 0), dice(predicted, truth, 2)};
  }

  /** Dice of label {@code label} (0: any non-zero label) of two volumes. */
  static double dice(byte[] a, byte[] b, int label) {
    long both = 0;
    long na = 0;
    long nb = 0;
    for (int i = 0; i < a.length; i++) {
      boolean x = label == 0 ? a[i] != 0 : a[i] == label;
      boolean y = label == 0 ? b[i] != 0 : b[i] == label;
      na += x ? 1 : 0;
      nb += y ? 1 : 0;
      both += x && y ? 1 : 0;
    }
    return na + nb == 0 ? 1 : 2.0 * both / (na + nb);
  }

  /** The surface's sites (without those inside {@code defect}, when not null), feature 1, mirrored along y on request. */
  static SparseTensor occupancy(CoordinateManager cm, boolean[] surface, int r, Defects.Defect defect, boolean mirror) {
    List<int[]> rows = new ArrayList<>();
    for (int i = 0; i < surface.length; i++) {
      if (surface[i]) {
        int z = i / (r * r);
        int y = i / r % r;
        int x = i % r;
        if (defect == null || !defect.contains(z, y, x)) {
          rows.add(new int[] {0, z, mirror ? r - 1 - y : y, x});
        }
      }
    }
    return SparseTensor.create(cm, Coordinates.of(rows.toArray(new int[0][])), TensorStride.uniform(3, 1),
        Nd4j.ones(DataType.FLOAT, rows.size(), 1));
  }
}
