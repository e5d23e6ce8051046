package org.jsparse.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jsparse.core.backend.Backend;
import org.jsparse.examples.skull.SkullCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code skull}: trains the completion network on procedural skulls and completes a held-out one. */
@Command(name = "skull", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Skull shape completion on procedural skulls with cut-out defects: trains the pruning U-Net of "
        + "the completion network, completes a held-out skull, reports Dice and training memory.")
public final class SkullCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--size", defaultValue = "32", description = "grid side in voxels, 16..512 (default: ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--train", defaultValue = "4", description = "training skulls (default: ${DEFAULT-VALUE})")
  int train;

  @Option(names = "--epochs", defaultValue = "15", description = "training epochs (default: ${DEFAULT-VALUE})")
  int epochs;



  @Option(names = "--out", defaultValue = "skull-out",
      description = "output folder: model.ckpt, metrics.json, loss.png (default: ${DEFAULT-VALUE})")
  Path out;

  @CommandLine.Mixin
  TrainingOptions training;

  @Override
  public Integer call() throws IOException {
    CommandLine cmd = spec.commandLine();
    require(size >= 16 && size <= 512, "--size must be in 16..512, got " + size);
    require(train >= 1, "--train must be >= 1, got " + train);
    require(epochs >= 1, "--epochs must be >= 1, got " + epochs);
    require(training.learningRateValid(), "--lr must be in (0, 10), got " + training.learningRate);
    Backend backend = training.openBackend(cmd); // a missing device is refused before the output folder is made
    Path folder;
    SkullCompletion.Result r;
    try (backend) {
      folder = OutputFolder.prepare(cmd, out);
      Path checkpoint = folder.resolve("model.ckpt");
      r = SkullCompletion.run(new SkullCompletion.Settings(size, train, epochs, training.learningRate, training.seed,
          checkpoint, backend), System.out, new ProgressBar(System.out, System.console() != null));
    }
    LossChart.write(folder.resolve("loss.png"), "Procedural skull completion, " + size + "^3", "epoch", r.epochLosses());
    Path metrics = folder.resolve("metrics.json");
    Files.writeString(metrics, json(r));
    System.out.printf(Locale.ROOT, "done: loss %.4f -> %.4f, held-out skull Dice %.3f (the input alone %.3f), implant Dice "
        + "%.3f; wrote model.ckpt, metrics.json and loss.png in %s%n", r.firstLoss(), r.lastLoss(), r.skullDice(),
        r.inputSkullDice(), r.implantDice(), folder);
    return 0;
  }

  private void require(boolean ok, String message) {
    if (!ok) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  private String json(SkullCompletion.Result r) {
    StringBuilder losses = new StringBuilder();
    for (double l : r.epochLosses()) {
      losses.append(losses.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", l));
    }
    return String.format(Locale.ROOT, "{\"example\":\"skull\",\"size\":%d,\"trainingSkulls\":%d,\"epochs\":%d,"
        + "\"learningRate\":%s,\"seed\":%d,\"parameters\":%d,\"epochLosses\":[%s],\"skullDice\":%.6f,"
        + "\"inputSkullDice\":%.6f,\"implantDice\":%.6f,\"peakTrainingBytes\":%d,\"denseActivationBytes\":%d}%n",
        size, train, epochs, training.learningRate, training.seed, r.parameters(), losses, r.skullDice(), r.inputSkullDice(),
        r.implantDice(), r.peakTrainingBytes(), r.denseActivationBytes());
  }
}
