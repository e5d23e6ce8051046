package org.jsparse.nn.layers;

import org.jsparse.nn.Layer;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.Activations;

/** A pointwise activation layer: ReLU, LeakyReLU, ELU, GELU (tanh form) or sigmoid. */
public final class Activation extends Layer {
  /** The activation function. */
  public enum Kind { RELU, LEAKY_RELU, ELU, GELU, SIGMOID }

  private final Kind kind;
  private final double parameter;

  private Activation(Kind kind, double parameter) {
    this.kind = kind;
    this.parameter = parameter;
  }

  public static Activation relu() {
    return new Activation(Kind.RELU, 0);
  }

  /** Negative slope as given (0.01 in PyTorch). */
  public static Activation leakyRelu(double slope) {
    return new Activation(Kind.LEAKY_RELU, slope);
  }

  /** ELU with alpha 1 (MinkowskiELU). */
  public static Activation elu() {
    return elu(1.0);
  }

  public static Activation elu(double alpha) {
    return new Activation(Kind.ELU, alpha);
  }

  public static Activation gelu() {
    return new Activation(Kind.GELU, 0);
  }

  public static Activation sigmoid() {
    return new Activation(Kind.SIGMOID, 0);
  }

  @Override
  public Variable forward(Variable x) {
    return switch (kind) {
      case RELU -> Activations.relu(x);
      case LEAKY_RELU -> Activations.leakyRelu(x, parameter);
      case ELU -> Activations.elu(x, parameter);
      case GELU -> Activations.gelu(x);
      case SIGMOID -> Activations.sigmoid(x);
    };
  }

  @Override
  public String toString() {
    return kind.name();
  }
}
