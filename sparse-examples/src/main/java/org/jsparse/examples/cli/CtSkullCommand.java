package org.jsparse.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jsparse.core.backend.Backend;
import org.jsparse.examples.ct.CtSkullCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ct-skull}: skull completion on the real head CT of the invesalius-examples package. */
@Command(name = "ct-skull", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Skull completion on a real head CT: random defects cut out of the skull top, the completion "
        + "network trained to restore the skull edge and the solid implant, implant Dice on held-out defects, NIfTI "
        + "volumes and a PNG.")
public final class CtSkullCommand implements Callable<Integer> {
  static final String CT = "/usr/share/doc/invesalius-examples/examples/Cranium.inv3";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--ct", defaultValue = CT, description = "the InVesalius CT (.inv3) (default: ${DEFAULT-VALUE})")
  Path ct;

  @Option(names = "--size", defaultValue = "64", description = "grid side in voxels, 32..512 (default: ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--steps", defaultValue = "600", description = "training steps, one defect each (default: ${DEFAULT-VALUE})")
  int steps;


  @Option(names = "--lr-drop-at", defaultValue = "1",
      description = "after this fraction of the steps the learning rate falls to a tenth, 0..1 (1: never) "
          + "(default: ${DEFAULT-VALUE})")
  double lrDropAt;

  @Option(names = "--held-out", defaultValue = "5", description = "held-out defects to evaluate (default: ${DEFAULT-VALUE})")
  int heldOut;


  @Option(names = "--eval-every", defaultValue = "0",
      description = "also evaluate the held-out defects every this many steps, 0: only at the end (default: ${DEFAULT-VALUE})")
  int evalEvery;

  @Option(names = "--out", defaultValue = "ct-skull-out",
      description = "output folder: model.ckpt, metrics.json, loss.png, *.nii, input-prediction-truth.png (default: ${DEFAULT-VALUE})")
  Path out;

  @CommandLine.Mixin
  TrainingOptions training;

  @Override
  public Integer call() throws IOException {
    CommandLine cmd = spec.commandLine();
    if (size < 32 || size > 512 || steps < 1 || heldOut < 1 || evalEvery < 0 || !(lrDropAt >= 0 && lrDropAt <= 1)
        || !training.learningRateValid()) {
      throw new CommandLine.ParameterException(cmd, "need --size in 32..512, --steps >= 1, --held-out >= 1, --eval-every "
          + ">= 0, --lr-drop-at in 0..1 and --lr in (0, 10); got " + size + ", " + steps + ", " + heldOut + ", "
          + evalEvery + ", " + lrDropAt + ", " + training.learningRate);
    }
    if (!Files.isRegularFile(ct)) {
      throw new CommandLine.ParameterException(cmd, "the head CT is missing at " + ct
          + "; install it with: apt-get install invesalius-examples (or give --ct)");
    }
    Backend backend = training.openBackend(cmd); // a missing device is refused before the output folder is made
    Path folder;
    CtSkullCompletion.Result r;
    String device;
    try (backend) {
      folder = OutputFolder.prepare(cmd, out);
      device = backend.device();
      r = CtSkullCompletion.run(new CtSkullCompletion.Settings(ct, size, steps, training.learningRate, lrDropAt,
          training.seed, heldOut, evalEvery, folder, backend), System.out, new ProgressBar(System.out, System.console() != null));
    }
    LossChart.write(folder.resolve("loss.png"), "CT skull completion, " + size + "^3", "step", r.stepLosses());
    Files.writeString(folder.resolve("metrics.json"), String.format(Locale.ROOT,
        "{\"example\":\"ct-skull\",\"device\":\"%s\",\"size\":%d,\"steps\":%d,\"learningRate\":%s,\"lrDropAt\":%s,\"seed\":%d,\"surfaceSites\":%d,"
            + "\"boneSites\":%d,\"firstLoss\":%.6f,\"lastLoss\":%.6f,\"heldOutDefects\":%d,\"implantDice\":%.6f,"
            + "\"postProcessedImplantDice\":%.6f,\"skullDice\":%.6f,\"peakTrainingBytes\":%d,\"seconds\":%.1f,"
            + "\"evaluations\":[%s]}%n", device, size, steps,
        training.learningRate, lrDropAt, training.seed, r.surfaceSites(), r.boneSites(), r.firstLoss(), r.lastLoss(), heldOut,
        r.meanImplantDice(), r.meanPostProcessedDice(), r.meanSkullDice(), r.peakTrainingBytes(), r.seconds(), evaluationsJson(r)));
    System.out.printf(Locale.ROOT, "done in %.0f s: loss %.3f -> %.3f (running mean), held-out implant Dice %.3f "
        + "(%.3f after the seed's opening and largest component), completed-skull Dice %.3f over %d defects; peak training "
        + "ledger %.1f MiB; outputs in %s (input-prediction-truth.png: panels left to right, seen from the top, implant "
        + "in orange)%n", r.seconds(), r.firstLoss(), r.lastLoss(), r.meanImplantDice(), r.meanPostProcessedDice(),
        r.meanSkullDice(), heldOut, r.peakTrainingBytes() / 1048576.0, folder);
    return 0;
  }

  private static String evaluationsJson(CtSkullCompletion.Result r) {
    StringBuilder b = new StringBuilder();
    for (CtSkullCompletion.Evaluation e : r.evaluations()) {
      b.append(b.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
          "{\"step\":%d,\"implantDice\":%.6f,\"postProcessedImplantDice\":%.6f,\"skullDice\":%.6f}", e.step(),
          e.implantDice(), e.postProcessedDice(), e.skullDice()));
    }
    return b.toString();
  }
}
