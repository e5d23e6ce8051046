package org.jsparse.nn.functional;

import java.util.function.DoubleUnaryOperator;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pointwise activations on sparse features (or dense values). Each computes its local derivative
 * in the forward pass and saves only that, and only when a gradient will be needed.
 */
public final class Activations {
  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  private static final double GELU_CUBIC = 0.044715;

  private Activations() {}

  /** max(x, 0). */
  public static Variable relu(Variable x) {
    return pointwise(x, v -> v > 0 ? v : 0, v -> v > 0 ? 1 : 0);
  }

  /** x for x > 0, slope * x otherwise. */
  public static Variable leakyRelu(Variable x, double slope) {
    return pointwise(x, v -> v > 0 ? v : slope * v, v -> v > 0 ? 1 : slope);
  }

  /** x for x > 0, alpha (e^x - 1) otherwise (MinkowskiELU, alpha 1 by default). */
  public static Variable elu(Variable x, double alpha) {
    return pointwise(x, v -> v > 0 ? v : alpha * Math.expm1(v), v -> v > 0 ? 1 : alpha * Math.exp(v));
  }

  /**
   * GELU in its tanh form, {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))} (PyTorch's
   * {@code approximate='tanh'}; within 1e-3 of the erf form everywhere).
   */
  public static Variable gelu(Variable x) {
    return pointwise(x, v -> {
      double t = Math.tanh(SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v));
      return 0.5 * v * (1 + t);
    }, v -> {
      double t = Math.tanh(SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v));
      double dInner = SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * v * v);
      return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * dInner;
    });
  }

  /** 1 / (1 + e^-x), computed without overflow for large |x|. */
  public static Variable sigmoid(Variable x) {
    return pointwise(x, Activations::sigmoid, v -> {
      double s = sigmoid(v);
      return s * (1 - s);
    });
  }

  static double sigmoid(double v) {
    if (v >= 0) {
      return 1 / (1 + Math.exp(-v));
    }
    double e = Math.exp(v);
    return e / (1 + e);
  }

  private static Variable pointwise(Variable x, DoubleUnaryOperator f, DoubleUnaryOperator derivative) {
    double[] in = Matrices.values(x.data());
    double[] out = new double[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = f.applyAsDouble(in[i]);
    }
    INDArray y = Matrices.of(out, x.data().shape(), x.data().dataType());
    Node node = null;
    if (x.requiresGrad() && !NoGrad.active()) {
      double[] d = new double[in.length];
      for (int i = 0; i < in.length; i++) {
        d[i] = derivative.applyAsDouble(in[i]);
      }
      INDArray slope = Matrices.of(d, x.data().shape(), x.data().dataType());
      node = new Node(x) {
        {
          save(Matrices.ledger(x), slope);
        }

        @Override
        protected INDArray[] backward(INDArray g) {
          return new INDArray[] {g.mul(slope)};
        }
      };
    }
    return Matrices.onSitesOf(x, y, node);
  }
}
