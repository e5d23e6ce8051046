package org.jsparse.examples.cli;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options every training example takes: learning rate, seed, device and the libraries' logs. */
final class TrainingOptions {
  @Option(names = "--lr", defaultValue = "0.01", description = "Adam learning rate, in (0, 10) (default: ${DEFAULT-VALUE})")
  double learningRate;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the data and the weights (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--device", defaultValue = "cpu",
      description = "where the tensors live: cpu, or cuda / cuda:N for GPU N through the CUDA backend (sparse-cuda, "
          + "needs an NVIDIA driver) (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--verbose", description = "show the libraries' start-up logs")
  boolean verbose;

  boolean learningRateValid() {
    return learningRate > 0 && learningRate < 10;
  }

  /**
   * The backend {@code --device} names, opened before any work; a device that is not there ends
   * the run with one line that says why. The caller closes it.
   */
  Backend openBackend(CommandLine cmd) {
    String d = device.trim().toLowerCase(java.util.Locale.ROOT);
    if (d.equals("cpu")) {
      return Backends.cpu();
    }
    if (!d.matches("cuda(:\\d{1,2})?")) {
      throw new CommandLine.ParameterException(cmd, "--device must be cpu, cuda or cuda:N, got '" + device + "'");
    }
    int index = d.contains(":") ? Integer.parseInt(d.substring(5)) : 0;
    try {
      return Backends.get("cuda", index);
    } catch (RuntimeException e) {
      throw new CommandLine.ParameterException(cmd, "--device " + device + ": " + e.getMessage());
    }
  }
}
