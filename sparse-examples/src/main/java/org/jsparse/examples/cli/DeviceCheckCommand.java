package org.jsparse.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jsparse.core.backend.Backend;
import org.jsparse.examples.device.DeviceCheck;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code device-check}: a few completion-network training steps on a device and on the CPU, compared. */
@Command(name = "device-check", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Trains the completion network (CH1, Adam) for a few steps on --device and on the CPU from the same "
        + "weights and data, and compares losses and parameters; exit code 1 when they disagree beyond float tolerance.")
public final class DeviceCheckCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--size", defaultValue = "128",
      description = "grid side of the sphere shell, 96..512: the network halves it six times (default: ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--steps", defaultValue = "3", description = "training steps on each backend, 1..100 (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--out", defaultValue = "device-check-out",
      description = "output folder: metrics.json (default: ${DEFAULT-VALUE})")
  Path out;

  @CommandLine.Mixin
  TrainingOptions training;

  @Override
  public Integer call() throws IOException {
    CommandLine cmd = spec.commandLine();
    if (size < 96 || size > 512 || steps < 1 || steps > 100 || !training.learningRateValid()) {
      throw new CommandLine.ParameterException(cmd, "need --size in 96..512, --steps in 1..100 and --lr in (0, 10); got "
          + size + ", " + steps + ", " + training.learningRate);
    }
    Backend backend = training.openBackend(cmd);
    Path folder;
    DeviceCheck.Comparison c;
    try (backend) {
      folder = OutputFolder.prepare(cmd, out);
      c = DeviceCheck.run(new DeviceCheck.Settings(size, steps, training.learningRate, training.seed), backend);
    }
    Files.writeString(folder.resolve("metrics.json"), String.format(Locale.ROOT,
        "{\"example\":\"device-check\",\"size\":%d,\"steps\":%d,\"inputSites\":%d,\"targetSites\":%d,"
            + "\"cpu\":%s,\"device\":%s,\"maxLossDifference\":%.3e,\"maxParameterDifference\":%.3e,\"agrees\":%s}%n",
        size, steps, c.inputSites(), c.targetSites(), json(c.cpu()), json(c.device()), c.maxLossDifference(),
        c.maxParameterDifference(), c.agrees()));
    for (DeviceCheck.Run r : new DeviceCheck.Run[] {c.cpu(), c.device()}) {
      System.out.printf(Locale.ROOT, "%s: losses %s, seconds a step %s, peak ledger %.1f MiB (+ %.1f MiB of "
          + "parameters, gradients and Adam state)%n", r.device(), list(r.losses(), "%.6f"), list(r.seconds(), "%.3f"),
          r.peakBytes() / 1048576.0, r.trainingStateBytes() / 1048576.0);
    }
    System.out.printf(Locale.ROOT, "%d input / %d target sites; largest relative difference: loss %.2e, parameters %.2e "
        + "(of the largest weight) -> %s; metrics.json in %s%n", c.inputSites(), c.targetSites(), c.maxLossDifference(),
        c.maxParameterDifference(), c.agrees() ? "agree" : "DISAGREE", folder);
    return c.agrees() ? 0 : 1;
  }

  private static String list(java.util.List<Double> values, String format) {
    return values.stream().map(v -> String.format(Locale.ROOT, format, v)).collect(Collectors.joining(", ", "[", "]"));
  }

  private static String json(DeviceCheck.Run r) {
    return String.format(Locale.ROOT, "{\"device\":\"%s\",\"losses\":%s,\"seconds\":%s,\"peakBytes\":%d,"
        + "\"trainingStateBytes\":%d}", r.device().replace("\"", "'"), list(r.losses(), "%.8f"), list(r.seconds(), "%.4f"),
        r.peakBytes(), r.trainingStateBytes());
  }
}
