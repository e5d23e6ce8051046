package org.jsparse.core.backend;

/**
 * The coefficients of one Adam update ({@link Backend#adamStep}), with PyTorch's semantics.
 *
 * @param learningRate lr
 * @param beta1 decay of the first moment
 * @param beta2 decay of the second moment
 * @param eps added to the denominator
 * @param weightDecay 0 for none
 * @param decoupled true for AdamW ({@code p *= 1 - lr wd} before the step), false for an L2 term
 *     ({@code g += wd p})
 * @param step the 1-based step number, for the bias corrections
 */
public record AdamStep(double learningRate, double beta1, double beta2, double eps, double weightDecay,
    boolean decoupled, long step) {
  public AdamStep {
    if (step < 1) {
      throw new IllegalArgumentException("Adam steps count from 1, got " + step);
    }
  }

  /** {@code 1 - beta1^step}. */
  public double firstMomentCorrection() {
    return 1 - Math.pow(beta1, step);
  }

  /** {@code 1 - beta2^step}. */
  public double secondMomentCorrection() {
    return 1 - Math.pow(beta2, step);
  }
}
