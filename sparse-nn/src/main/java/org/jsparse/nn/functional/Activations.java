package org.jsparse.nn.functional;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.backend.PointwiseFunction;
import org.jsparse.core.backend.PointwiseFunction.Kind;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.BufferNode;
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
    Backend backend = Elementwise.backendOf(x);
    boolean overwrite = inPlace && x.isOpResult() && f.derivativeFromOutput();
    Buffer in = Elementwise.buffer(backend, x);
    Buffer out = overwrite ? in : Elementwise.newLike(backend, x, f.kind().name().toLowerCase(java.util.Locale.ROOT));
    backend.pointwise(f, in, out);
    PointwiseNode node = x.requiresGrad() && !NoGrad.active() ? new PointwiseNode(x, f, backend) : null;
    Variable y = overwrite ? Variables.inPlaceResult(x, node) : Elementwise.result(x, out, node);
    if (node != null) {
      node.output = y;
    }
    return y;
  }

  /** Backward of a pointwise function: the derivative from the output where it suffices, else from the input. */
  private static final class PointwiseNode extends BufferNode {
    private final PointwiseFunction f;
    private final Backend backend;
    private Variable output;

    PointwiseNode(Variable x, PointwiseFunction f, Backend backend) {
      super(x);
      this.f = f;
      this.backend = backend;
      if (!f.derivativeFromOutput()) {
        readsInBackward(x);
      }
    }

    @Override
    protected INDArray[] backward(INDArray g) { // a dense value: the buffer rule on the host's view of g
      return new INDArray[] {Elementwise.overwrite(backend, g, this::backwardBuffers)};
    }

    @Override
    protected Buffer[] backwardBuffers(Buffer g) {
      Variable value = f.derivativeFromOutput() ? output : inputs()[0];
      backend.pointwiseBackward(f, g, Elementwise.buffer(backend, value), f.derivativeFromOutput(), g);
      return new Buffer[] {g};
    }
  }
}
