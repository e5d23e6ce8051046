package org.jsparse.nn.optim;

import java.util.Arrays;

/**
 * A learning rate as a function of the epoch (0-based) and the base rate. Stateless; an
 * {@link LrScheduler} applies it to an optimizer.
 */
@FunctionalInterface
public interface LrSchedule {
  double learningRate(double baseRate, int epoch);

  /** Multiplies by {@code gamma} at each milestone epoch reached (PyTorch's MultiStepLR). */
  static LrSchedule multiStep(int[] milestones, double gamma) {
    int[] m = milestones.clone();
    Arrays.sort(m);
    return (base, epoch) -> {
      int passed = 0;
      for (int x : m) {
        passed += epoch >= x ? 1 : 0;
      }
      return base * Math.pow(gamma, passed);
    };
  }

  /** Cosine annealing from the base rate to {@code minRate} over {@code period} epochs, then flat. */
  static LrSchedule cosine(int period, double minRate) {
    if (period < 1) {
      throw new IllegalArgumentException("cosine period must be >= 1 epoch, got " + period);
    }
    return (base, epoch) -> {
      int e = Math.min(epoch, period);
      return minRate + (base - minRate) * (1 + Math.cos(Math.PI * e / period)) / 2;
    };
  }

  /** The base rate throughout. */
  static LrSchedule constant() {
    return (base, epoch) -> base;
  }
}
