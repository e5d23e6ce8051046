package org.jsparse.core.backend;

/**
 * The coefficients of one SGD update ({@link Backend#sgdStep}), with PyTorch's semantics.
 *
 * @param learningRate lr
 * @param momentum 0 for none
 * @param nesterov Nesterov momentum (needs momentum > 0)
 * @param weightDecay the L2 term ({@code g += wd p}), 0 for none
 * @param firstStep true when the momentum buffer holds nothing yet ({@code v = g} instead of
 *     {@code v = mu v + g})
 */
public record SgdStep(double learningRate, double momentum, boolean nesterov, double weightDecay, boolean firstStep) {}
