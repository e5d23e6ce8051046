package org.jsparse.nn;

import java.util.SplittableRandom;

/**
 * Fills WEIGHT parameters. Fan-in and fan-out count kernel volume times channels: for
 * {@code [K, Cin, Cout]}, fanIn = K Cin and fanOut = K Cout (for {@code [Cin, Cout]}, K = 1).
 * The generator is seeded per parameter from the model seed and the parameter's name, so the
 * values do not depend on the thread count or on which other parameters exist.
 */
@FunctionalInterface
public interface Initializer {
  /** The value of entry i of a weight with the given fans. */
  double sample(long fanIn, long fanOut, SplittableRandom rnd);

  /** He et al.: normal with std sqrt(2 / fanIn), for ReLU-family activations. */
  static Initializer kaimingNormal() {
    return (fanIn, fanOut, rnd) -> gaussian(rnd) * Math.sqrt(2.0 / fanIn);
  }

  /** He et al.: uniform on +-sqrt(6 / fanIn). */
  static Initializer kaimingUniform() {
    return (fanIn, fanOut, rnd) -> (2 * rnd.nextDouble() - 1) * Math.sqrt(6.0 / fanIn);
  }

  /** Glorot and Bengio: uniform on +-sqrt(6 / (fanIn + fanOut)). */
  static Initializer xavierUniform() {
    return (fanIn, fanOut, rnd) -> (2 * rnd.nextDouble() - 1) * Math.sqrt(6.0 / (fanIn + fanOut));
  }

  /** Glorot and Bengio: normal with std sqrt(2 / (fanIn + fanOut)). */
  static Initializer xavierNormal() {
    return (fanIn, fanOut, rnd) -> gaussian(rnd) * Math.sqrt(2.0 / (fanIn + fanOut));
  }

  /** Box-Muller from one generator (SplittableRandom has no nextGaussian before Java 17's RandomGenerator default). */
  private static double gaussian(SplittableRandom rnd) {
    double u = 1 - rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
