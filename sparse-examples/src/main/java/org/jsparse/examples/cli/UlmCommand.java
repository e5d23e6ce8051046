package org.jsparse.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jsparse.core.backend.Backend;
import org.jsparse.examples.ct.Nifti;
import org.jsparse.examples.ulm.Angiogram;
import org.jsparse.examples.ulm.AngiogramImage;
import org.jsparse.examples.ulm.UlmWindow;
import org.jsparse.examples.ulm.VesselTree;
import org.jsparse.examples.ulm.UlmExample;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ulm}: ultrasound localization microscopy in silico with the sparse pruning Deep-stULM. */
@Command(name = "ulm", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Ultrasound localization microscopy in silico (2D+time, or 3D+time with --dims 3): microbubbles simulated in procedural vessel "
        + "trees, the sparse pruning Deep-stULM trained to find them on an 8x finer grid, angiogram Dice against the "
        + "truth at 1, 5, 10 and 20 bubbles per field of view (3D: 1, 10, 30) beside conventional localization, and the memory of "
        + "the sparse network against its dense counterpart.")
public final class UlmCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--dims", defaultValue = "2", description = "spatial axes: 2 (2D+time) or 3 (3D+time) (default: ${DEFAULT-VALUE})")
  int dims;

  @Option(names = "--width", defaultValue = "16", description = "field of view in wavelength pixels a side, 8..64 (default: ${DEFAULT-VALUE})")
  int width;

  @Option(names = "--frames", defaultValue = "128", description = "frames (1 ms apart) per window, 16..1024 (default: ${DEFAULT-VALUE})")
  int frames;

  @Option(names = "--steps", defaultValue = "600", description = "training steps, one simulated window each (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--threshold",
      description = "keep input pixels with CorrMap power |c|^2 above this, in (0, 1) (default: 0.25 in 2D, 0.1 in 3D)")
  Double threshold;

  @Option(names = "--top-k", defaultValue = "0", description = "keep the k strongest pixels of a window instead (0: use --threshold)")
  int topK;

  @Option(names = "--snr", defaultValue = "20", description = "echo signal-to-noise ratio in dB, 0..60 (default: ${DEFAULT-VALUE})")
  double snrDb;

  @Option(names = "--test-windows", defaultValue = "4",
      description = "held-out windows accumulated per concentration (default: ${DEFAULT-VALUE})")
  int testWindows;

  @Option(names = "--out", defaultValue = "ulm-out",
      description = "output folder: model.ckpt, metrics.json, loss.png, angiograms.png, angiogram-{truth,network,"
          + "localization}.nii of the densest test (default: ${DEFAULT-VALUE})")
  Path out;

  @CommandLine.Mixin
  TrainingOptions training;

  @Override
  public Integer call() throws IOException {
    CommandLine cmd = spec.commandLine();
    if (threshold == null) {
      threshold = dims == 3 ? 0.1 : 0.25; // the 3D CorrMap's window is 125 pixels: its noise correlates less
    }
    if ((dims != 2 && dims != 3) || width < 8 || width > 64 || frames < 16 || frames > 1024 || steps < 1 || testWindows < 1 || topK < 0
        || !(threshold > 0 && threshold < 1) || snrDb < 0 || snrDb > 60 || !training.learningRateValid()) {
      throw new CommandLine.ParameterException(cmd, "need --dims 2 or 3, --width 8..64, --frames 16..1024, --steps >= 1, "
          + "--test-windows >= 1, --top-k >= 0, --threshold in (0, 1), --snr 0..60 and --lr in (0, 10)");
    }
    Backend backend = training.openBackend(cmd); // a missing device is refused before the output folder is made
    Path folder;
    UlmExample.Settings settings;
    UlmExample.Result r;
    String device;
    try (backend) {
      folder = OutputFolder.prepare(cmd, out);
      device = backend.device();
      settings = new UlmExample.Settings(dims, width, frames, steps, training.learningRate, training.seed, threshold, topK,
          snrDb, testWindows, folder, backend);
      r = UlmExample.run(settings, System.out, new ProgressBar(System.out, System.console() != null));
    }
    int[] concentrations = settings.concentrations();
    LossChart.write(folder.resolve("loss.png"), "ULM " + dims + "D+t, " + width + " px, " + frames + " frames", "step",
        r.stepLosses());
    String view = dims == 3 ? " (projection)" : "";
    AngiogramImage.write(folder.resolve("angiograms.png"), new String[] {"truth, " + concentrations[concentrations.length - 1]
        + " bubbles/FOV" + view, "sparse Deep-stULM", "localization"}, r.lastAngiograms()[0].planar(),
        r.lastAngiograms()[1].planar(), r.lastAngiograms()[2].planar());
    String[] names = {"truth", "network", "localization"};
    for (int i = 0; i < 3; i++) {
      Angiogram a = r.lastAngiograms()[i];
      Nifti.writeLabels(folder.resolve("angiogram-" + names[i] + ".nii"), a.labels(), a.niftiShape(),
          VesselTree.PIXEL_UM / UlmWindow.SCALE / 1000);
    }
    StringBuilder table = new StringBuilder();
    StringBuilder json = new StringBuilder();
    for (int i = 0; i < concentrations.length; i++) {
      table.append(String.format(Locale.ROOT, "  %2d bubbles/FOV: network Dice %.3f, localization Dice %.3f%n",
          concentrations[i], r.networkDice()[i], r.localizationDice()[i]));
      json.append(String.format(Locale.ROOT, "%s{\"concentration\":%d,\"networkDice\":%.6f,\"localizationDice\":%.6f}",
          i == 0 ? "" : ",", concentrations[i], r.networkDice()[i], r.localizationDice()[i]));
    }
    Files.writeString(folder.resolve("metrics.json"), String.format(Locale.ROOT,
        "{\"example\":\"ulm\",\"device\":\"%s\",\"dims\":%d,\"width\":%d,\"frames\":%d,\"steps\":%d,\"learningRate\":%s,\"seed\":%d,\"threshold\":%s,"
            + "\"topK\":%d,\"snrDb\":%s,\"testWindows\":%d,\"firstLoss\":%.6f,\"lastLoss\":%.6f,\"meanInputSites\":%.1f,"
            + "\"peakTrainingBytes\":%d,\"denseActivationBytesComputed\":%d,\"seconds\":%.1f,\"dice\":[%s]}%n", device, dims,
        width,
        frames, steps, training.learningRate, training.seed, threshold, topK, snrDb, testWindows, r.firstLoss(),
        r.lastLoss(), r.meanInputSites(), r.peakTrainingBytes(), r.denseActivationBytes(), r.seconds(), json));
    System.out.printf(Locale.ROOT, "done in %.0f s: loss %.3f -> %.3f (running mean), %.0f input sites a window; "
            + "held-out angiograms:%n%s"
            + "peak training memory %.1f MiB (measured, ledgers); the dense network with the same layers needs %.1f MiB "
            + "of activations (computed): %.1fx; outputs in %s%n", r.seconds(), r.firstLoss(), r.lastLoss(),
        r.meanInputSites(), table, r.peakTrainingBytes() / 1048576.0, r.denseActivationBytes() / 1048576.0,
        (double) r.denseActivationBytes() / r.peakTrainingBytes(), folder);
    return 0;
  }
}
