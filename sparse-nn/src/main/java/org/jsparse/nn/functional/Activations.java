package org.jsparse.nn.functional;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.backend.PointwiseFunction;
import org.jsparse.core.backend.PointwiseFunction.Kind;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pointwise activations on sparse features (or dense values), computed by the tensor's backend in
 * the tensor's own type. They save nothing: backward reads the derivative off the output (ReLU,
 * leaky ReLU, ELU, sigmoid) or the input (GELU), both of which the graph keeps alive anyway. With
 * {@code inPlace} the result overwrites the input when autograd allows it (the input is an op
 * result, and the function's derivative can be read off its output), which saves one feature
 * matrix per activation; a later backward that needed the overwritten value fails loudly.
 */
public final class Activations {
  private Activations() {}

  /** max(x, 0). */
  public static Variable relu(Variable x) {
    return apply(x, PointwiseFunction.of(Kind.RELU), false);
  }

  /** x for x > 0, slope * x otherwise. */
  public static Variable leakyRelu(Variable x, double slope) {
    return apply(x, new PointwiseFunction(Kind.LEAKY_RELU, slope), false);
  }

  /** x for x > 0, alpha (e^x - 1) otherwise (MinkowskiELU, alpha 1 by default). */
  public static Variable elu(Variable x, double alpha) {
    return apply(x, new PointwiseFunction(Kind.ELU, alpha), false);
  }

  /**
   * GELU in its tanh form, {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))} (PyTorch's
   * {@code approximate='tanh'}; within 1e-3 of the erf form everywhere).
   */
  public static Variable gelu(Variable x) {
    return apply(x, PointwiseFunction.of(Kind.GELU), false);
  }

  /** 1 / (1 + e^-x), computed without overflow for large |x|. */
  public static Variable sigmoid(Variable x) {
    return apply(x, PointwiseFunction.of(Kind.SIGMOID), false);
  }

  static double sigmoid(double v) {
    return PointwiseFunction.sigmoid(v);
  }

  /**
   * Applies {@code f}; with {@code inPlace}, over the input where autograd allows (see the class
   * comment), else into a new tensor.
   */
  public static Variable apply(Variable x, PointwiseFunction f, boolean inPlace) {
    Backend backend = backendOf(x);
    try {
      boolean overwrite = inPlace && x.isOpResult() && f.derivativeFromOutput();
      Buffer in = buffer(backend, x);
      Variable y;
      Buffer out;
      if (overwrite) {
        out = in;
      } else {
        out = Elementwise.newLike(backend, x, f.kind().name().toLowerCase(java.util.Locale.ROOT));
      }
      backend.pointwise(f, in, out);
      boolean record = x.requiresGrad() && !NoGrad.active();
      Node node = null;
      if (record) {
        node = new PointwiseNode(x, f, backend, !overwrite);
      }
      if (overwrite) {
        y = Variables.inPlaceResult(x, node);
      } else {
        y = Elementwise.result(x, out, node);
      }
      if (node != null) {
        ((PointwiseNode) node).output = y;
      }
      return y;
    } finally {
      closeIfOwned(backend, x);
    }
  }

  /** Backward of a pointwise function: the derivative from the output where it suffices, else from the input. */
  private static final class PointwiseNode extends Node {
    private final PointwiseFunction f;
    private final Backend backend;
    private final boolean inputKept;
    private Variable output;

    PointwiseNode(Variable x, PointwiseFunction f, Backend backend, boolean inputKept) {
      super(x);
      this.f = f;
      this.backend = backend;
      this.inputKept = inputKept;
      if (!f.derivativeFromOutput()) {
        readsInBackward(x);
      }
    }

    @Override
    protected INDArray[] backward(INDArray g) {
      boolean atOutput = f.derivativeFromOutput();
      Variable value = atOutput ? output : inputs()[0];
      Buffer gb = backend.borrow(g, rowsOf(g));
      backend.pointwiseBackward(f, gb, buffer(backend, value), atOutput, gb);
      return new INDArray[] {g};
    }
  }

  static long rowsOf(INDArray a) {
    return a.rank() == 0 ? 1 : a.size(0);
  }

  /** The backend of a sparse value, or a CPU backend for a dense one. */
  static Backend backendOf(Variable x) {
    return x.tensor() != null ? x.tensor().manager().backend() : Backends.cpu();
  }

  static Buffer buffer(Backend backend, Variable x) {
    return x.tensor() != null ? x.tensor().buffer() : backend.borrow(x.data(), rowsOf(x.data()));
  }

  /** Dense values get a throwaway CPU backend; nothing to close for it today, but keep the pairing. */
  static void closeIfOwned(Backend backend, Variable x) {
    if (x.tensor() == null) {
      backend.close();
    }
  }
}
