package org.jsparse.examples.ulm;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.examples.skull.SkullCompletion;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.TensorScope;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.io.TrainingCheckpoint;
import org.jsparse.nn.models.SparseDeepStULM;
import org.jsparse.nn.optim.Adam;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Ultrasound localization microscopy in silico, 2D+time or 3D+time: windows of CorrMap frames
 * simulated on procedural vessel trees ({@link UlmWindow}), the sparse pruning Deep-stULM trained on them with
 * deep supervision (the truth dilated by one fine pixel for the first half of the steps, then
 * exact at a tenth of the learning rate, as the seed's schedule), then evaluated on a held-out
 * tree: the angiogram of its predictions over several windows against the accumulated truth
 * (Dice) at 1, 5, 10 and 20 bubbles per field of view (1, 10 and 30 per volume in 3D), beside
 * conventional localization on the same frames.
 */
public final class UlmExample {
  /** Concentrations of the evaluation in 2D+time (bubbles per field of view), as the seed's. */
  public static final int[] CONCENTRATIONS = {1, 5, 10, 20};
  /** Concentrations of the evaluation in 3D+time (bubbles per volume). */
  public static final int[] CONCENTRATIONS_3D = {1, 10, 30};
  private static final int TRAINING_TREES = 8;
  /** Windows with fewer input sites are not trained on: the deepest layers' batch norms need more than one site. */
  static final int MIN_INPUT_SITES = 64;

  /** Settings of one run. */
  public record Settings(int dims, int width, int frames, int steps, double learningRate, long seed, double threshold,
      int topK, double snrDb, int testWindows, Path out, Backend backend) {
    /** The concentrations this run trains on and evaluates. */
    public int[] concentrations() {
      return dims == 2 ? CONCENTRATIONS.clone() : CONCENTRATIONS_3D.clone();
    }
  }

  /**
   * What the run measured.
   *
   * @param networkDice angiogram Dice of the network per concentration of {@link Settings#concentrations}
   * @param localizationDice the same for conventional localization
   * @param meanInputSites input sites per training window, on average
   * @param peakTrainingBytes the ledgers' peak of a training step (the manager's and the training state's)
   * @param denseActivationBytes the dense counterpart's activations, computed
   */
  public record Result(double firstLoss, double lastLoss, double[] networkDice, double[] localizationDice,
      double meanInputSites, long peakTrainingBytes, long denseActivationBytes, double seconds, double[] stepLosses,
      Angiogram[] lastAngiograms) {}

  private UlmExample() {}

  public static Result run(Settings s, PrintStream log, SkullCompletion.Progress progress) throws IOException {
    long started = System.nanoTime();
    SplittableRandom rnd = new SplittableRandom(s.seed());
    List<VesselTree> trees = new ArrayList<>();
    for (int i = 0; i < TRAINING_TREES; i++) {
      trees.add(VesselTree.grow(s.width(), s.dims(), rnd.split()));
    }
    int[] concentrations = s.concentrations();
    SparseDeepStULM net = SparseDeepStULM.builder().setDimension(s.dims() + 1).optSeed(s.seed()).build();
    net.to(s.backend()); // on a GPU the weights, their gradients and Adam's moments stay there
    Adam adam = new Adam(net, s.learningRate());
    log.printf(Locale.ROOT, "ULM %dD+t: %d px a side (%.2f mm), %d frames a window, output grid %d a side, %d steps on %d "
            + "trees, %,d parameters%n", s.dims(), s.width(), s.width() * VesselTree.PIXEL_UM / 1000, s.frames(),
        s.width() * UlmWindow.SCALE, s.steps(), TRAINING_TREES, net.parameterCount());
    double[] losses = new double[s.steps()];
    double first = Double.NaN;
    double recent = 0;
    long peak = 0;
    double sites = 0;
    int trained = 0;
    for (int step = 1; step <= s.steps(); step++) {
      boolean dilated = step <= s.steps() / 2;
      if (step == s.steps() / 2 + 1) {
        adam.setLearningRate(s.learningRate() / 10);
      }
      UlmWindow w = UlmWindow.simulate(trees.get(rnd.nextInt(TRAINING_TREES)),
          concentrations[rnd.nextInt(concentrations.length)], s.frames(), s.snrDb(), rnd);
      try (CoordinateManager cm = new CoordinateManager(s.dims() + 1, s.backend())) {
        SparseTensor y = w.target(cm, dilated ? 1 : 0);
        if (y == null) { // no bubble inside the field in this window (no truth to learn)
          losses[step - 1] = step > 1 ? losses[step - 2] : Double.NaN;
          continue;
        }
        SparseTensor x = w.input(cm, s.threshold(), s.topK());
        if (x.size() < MIN_INPUT_SITES) {
          losses[step - 1] = step > 1 ? losses[step - 2] : Double.NaN;
          continue;
        }
        cm.memory().resetPeaks();
        adam.zeroGrad();
        Variable loss = SparseDeepStULM.loss(net.forward(Variable.of(x, false), y), y);
        loss.backward();
        adam.step();
        peak = Math.max(peak, cm.memory().peakTotal() + adam.memory().peakTotal());
        double value = loss.data().getDouble(0);
        losses[step - 1] = value;
        first = Double.isNaN(first) ? value : first;
        recent = trained == 0 ? value : 0.9 * recent + 0.1 * value;
        sites += x.size();
        trained++;
        if (progress != null) {
          progress.stepDone(1, 1, step, s.steps(), value, x.size());
        }
      }
    }
    TrainingCheckpoint.save(s.out().resolve("model.ckpt"), net, adam, null);
    VesselTree heldOut = VesselTree.grow(s.width(), s.dims(), new SplittableRandom(s.seed() * 7919 + 13));
    double[] networkDice = new double[concentrations.length];
    double[] localizationDice = new double[concentrations.length];
    Angiogram[] last = null;
    SplittableRandom test = new SplittableRandom(s.seed() * 31 + 7);
    for (int i = 0; i < concentrations.length; i++) {
      Angiogram[] a = evaluate(net, heldOut, concentrations[i], s, test);
      networkDice[i] = a[1].dice(a[0]);
      localizationDice[i] = a[2].dice(a[0]);
      last = a;
    }
    long dense = DenseUlmMemory.activationBytes(s.width(), s.frames(), s.dims(), 16);
    return new Result(first, recent, networkDice, localizationDice, trained == 0 ? 0 : sites / trained, peak, dense,
        (System.nanoTime() - started) / 1e9, losses, last);
  }

  /** Truth, network and localization angiograms over {@code testWindows} windows of {@code tree} at one concentration. */
  static Angiogram[] evaluate(SparseDeepStULM net, VesselTree tree, int concentration, Settings s, SplittableRandom rnd) {
    int side = s.width() * UlmWindow.SCALE;
    Angiogram truth = new Angiogram(side, s.dims());
    Angiogram network = new Angiogram(side, s.dims());
    Angiogram localized = new Angiogram(side, s.dims());
    net.eval();
    try {
      for (int k = 0; k < s.testWindows(); k++) {
        UlmWindow w = UlmWindow.simulate(tree, concentration, s.frames(), s.snrDb(), rnd);
        for (int[] p : w.truth()) {
          truth.mark(p);
        }
        Localization.localize(w, 0.5, localized);
        try (CoordinateManager cm = new CoordinateManager(s.dims() + 1, s.backend()); NoGrad ng = NoGrad.enter();
            TensorScope scope = TensorScope.open()) {
          SparseDeepStULM.Output o = net.forward(Variable.of(w.input(cm, s.threshold(), s.topK()), false), null);
          Coordinates c = o.probabilities().tensor().coordinates();
          INDArray p = o.probabilities().data();
          int[] fine = new int[s.dims()];
          for (int r = 0; r < c.size(); r++) {
            if (p.getDouble(r, 0) > 0.5) {
              for (int a = 0; a < fine.length; a++) {
                fine[a] = c.get(r, a);
              }
              network.mark(fine);
            }
          }
        }
      }
    } finally {
      net.train();
    }
    return new Angiogram[] {truth, network, localized};
  }
}
