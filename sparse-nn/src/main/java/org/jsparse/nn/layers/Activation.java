package org.jsparse.nn.layers;

import org.jsparse.core.backend.PointwiseFunction;

import org.jsparse.nn.Layer;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.Activations;

/** A pointwise activation layer: ReLU, LeakyReLU, ELU, GELU (tanh form) or sigmoid. */
public final class Activation extends Layer {
  /** The activation function. */
  public enum Kind { RELU, LEAKY_RELU, ELU, GELU, SIGMOID }

  private final Kind kind;
  private final double parameter;
  private final boolean inPlace;

  private Activation(Kind kind, double parameter) {
    this(kind, parameter, false);
  }

  private Activation(Kind kind, double parameter, boolean inPlace) {
    this.kind = kind;
    this.parameter = parameter;
    this.inPlace = inPlace;
  }

  /**
   * The same activation writing over its input where autograd allows (see
   * {@link Activations#apply}): use it when nothing else reads the input, as after a batch norm.
   */
  public Activation inPlace() {
    return new Activation(kind, parameter, true);
  }

  public boolean isInPlace() {
    return inPlace;
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
    PointwiseFunction f = switch (kind) {
      case RELU -> PointwiseFunction.of(PointwiseFunction.Kind.RELU);
      case LEAKY_RELU -> new PointwiseFunction(PointwiseFunction.Kind.LEAKY_RELU, parameter);
      case ELU -> new PointwiseFunction(PointwiseFunction.Kind.ELU, parameter);
      case GELU -> PointwiseFunction.of(PointwiseFunction.Kind.GELU);
      case SIGMOID -> PointwiseFunction.of(PointwiseFunction.Kind.SIGMOID);
    };
    return Activations.apply(x, f, inPlace);
  }

  @Override
  public String toString() {
    return kind.name() + (inPlace ? " (in place)" : "");
  }
}
