package org.jsparse.core.backend;

/**
 * A pointwise activation a backend computes in the tensor's own type: the function, and its
 * derivative from the input or, where the output determines it, from the output (so that an op
 * can drop its input, or overwrite it). {@code parameter} is the negative slope of LEAKY_RELU and
 * the alpha of ELU; it is ignored by the others.
 */
public record PointwiseFunction(Kind kind, double parameter) {
  /** The functions. */
  public enum Kind { RELU, LEAKY_RELU, ELU, GELU, SIGMOID }

  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  private static final double GELU_CUBIC = 0.044715;

  public PointwiseFunction {
    if (kind == Kind.LEAKY_RELU && !(parameter >= 0)) {
      throw new IllegalArgumentException("leaky ReLU needs a slope >= 0, got " + parameter);
    }
    if (kind == Kind.ELU && !(parameter > 0)) {
      throw new IllegalArgumentException("ELU needs alpha > 0, got " + parameter);
    }
  }

  public static PointwiseFunction of(Kind kind) {
    return new PointwiseFunction(kind, kind == Kind.ELU ? 1.0 : kind == Kind.LEAKY_RELU ? 0.01 : 0);
  }

  /**
   * True when the derivative can be computed from the output alone: ReLU, leaky ReLU (slope >= 0),
   * ELU (alpha > 0) and sigmoid; GELU needs its input.
   */
  public boolean derivativeFromOutput() {
    return kind != Kind.GELU;
  }

  /** f(v). */
  public double value(double v) {
    return switch (kind) {
      case RELU -> v > 0 ? v : 0;
      case LEAKY_RELU -> v > 0 ? v : parameter * v;
      case ELU -> v > 0 ? v : parameter * Math.expm1(v);
      case GELU -> 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v)));
      case SIGMOID -> sigmoid(v);
    };
  }

  /** f'(v) from the input v. */
  public double derivativeAtInput(double v) {
    return switch (kind) {
      case RELU -> v > 0 ? 1 : 0;
      case LEAKY_RELU -> v > 0 ? 1 : parameter;
      case ELU -> v > 0 ? 1 : parameter * Math.exp(v);
      case GELU -> {
        double t = Math.tanh(SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v));
        double dInner = SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * v * v);
        yield 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * dInner;
      }
      case SIGMOID -> {
        double s = sigmoid(v);
        yield s * (1 - s);
      }
    };
  }

  /** f'(x) from the output y = f(x); only where {@link #derivativeFromOutput}. */
  public double derivativeAtOutput(double y) {
    return switch (kind) {
      case RELU -> y > 0 ? 1 : 0;
      case LEAKY_RELU -> y > 0 ? 1 : parameter;
      case ELU -> y > 0 ? 1 : y + parameter;
      case SIGMOID -> y * (1 - y);
      case GELU -> throw new IllegalStateException("GELU's derivative needs its input");
    };
  }

  /** 1 / (1 + e^-v), without overflow for large |v|. */
  public static double sigmoid(double v) {
    if (v >= 0) {
      return 1 / (1 + Math.exp(-v));
    }
    double e = Math.exp(v);
    return e / (1 + e);
  }
}
