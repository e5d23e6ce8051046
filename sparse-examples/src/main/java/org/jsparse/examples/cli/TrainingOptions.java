package org.jsparse.examples.cli;

import picocli.CommandLine.Option;

/** The options every training example takes: learning rate, seed and the libraries' logs. */
final class TrainingOptions {
  @Option(names = "--lr", defaultValue = "0.01", description = "Adam learning rate, in (0, 10) (default: ${DEFAULT-VALUE})")
  double learningRate;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the data and the weights (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--verbose", description = "show the libraries' start-up logs")
  boolean verbose;

  boolean learningRateValid() {
    return learningRate > 0 && learningRate < 10;
  }
}
