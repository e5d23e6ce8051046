package org.jsparse.nn.memory;

import java.util.ArrayList;
import java.util.List;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Layer;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.TensorScope;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A chain of invertible residual blocks {@code x_{i+1} = x_i + f_i(x_i)} trained without storing
 * the intermediate activations (the MEL seed). The forward pass keeps only the chain's input and
 * output; the backward pass walks the blocks from the last, rebuilds each block's input from its
 * output by the fixed-point iteration {@code x <- y - f(x)} (which converges when f is a
 * contraction, Lipschitz constant below 1), then recomputes that one block with recording and
 * back-propagates through it. Each f must keep the coordinates and channels (submanifold convs,
 * pointwise activations). If the iteration does not converge the backward pass fails, naming the
 * block: keep the blocks' weights small (f's Lipschitz bound is the product of its convs'
 * operator norms) or use {@link Checkpointed} instead.
 */
public final class InvertibleResidualChain extends Layer {
  private final List<Layer> blocks = new ArrayList<>();
  private final int maxIterations;
  private final double tolerance;

  /**
   * At most 50 fixed-point iterations, stopping when the update is below 1e-9 of the value (max
   * norm; 1e-6 in FLOAT, where rounding allows no better).
   */
  public InvertibleResidualChain(List<? extends Layer> residualFunctions) {
    this(residualFunctions, 50, 1e-9);
  }

  public InvertibleResidualChain(List<? extends Layer> residualFunctions, int maxIterations, double tolerance) {
    if (residualFunctions.isEmpty() || maxIterations < 1 || !(tolerance > 0)) {
      throw new IllegalArgumentException("an invertible chain needs at least one block, iterations >= 1, tolerance > 0");
    }
    for (Layer f : residualFunctions) {
      blocks.add(register("f" + blocks.size(), f));
    }
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
  }

  @Override
  public Variable forward(Variable x) {
    List<Parameter> params = parameters();
    if (x.tensor() == null) {
      throw new IllegalArgumentException("an invertible chain needs a sparse input");
    }
    List<BufferSnapshot> before = new ArrayList<>();
    Variable y;
    try (NoGrad ng = NoGrad.enter()) {
      Variable h = x;
      for (Layer f : blocks) {
        before.add(new BufferSnapshot(f));
        Variable next;
        try (TensorScope scope = TensorScope.open()) {
          next = scope.keep(step(f, h));
        }
        if (h != x) {
          h.tensor().close(); // only the chain's input and output are held
        }
        h = next;
      }
      y = h;
    }
    if (NoGrad.active() || !(x.requiresGrad() || params.stream().anyMatch(p -> p.variable().requiresGrad()))) {
      return y;
    }
    List<Variable> inputs = new ArrayList<>(List.of(x));
    params.forEach(p -> inputs.add(p.variable()));
    SparseTensor out = y.tensor();
    Node node = new Node(inputs.toArray(new Variable[0])) {
      @Override
      protected INDArray[] backward(INDArray g) {
        INDArray grad = g;
        INDArray current = out.features();
        for (int i = blocks.size() - 1; i >= 0; i--) {
          Layer f = blocks.get(i);
          BufferSnapshot after = new BufferSnapshot(f);
          before.get(i).restore();
          INDArray input = i == 0 ? x.data() : invert(f, out, current, i);
          before.get(i).restore();
          Variable leaf = Variable.of(SparseTensor.wrap(out.manager(), out.key(), input), true);
          Variable fx = f.forward(leaf);
          fx.backward(grad);
          after.restore();
          grad = grad.add(leaf.grad());
          leaf.tensor().close();
          current = input;
        }
        INDArray[] grads = new INDArray[inputs().length];
        grads[0] = grad;
        return grads;
      }
    };
    return Variables.result(out, node);
  }

  private static Variable step(Layer f, Variable h) {
    Variable fx = f.forward(h);
    if (fx.tensor() == null || !fx.tensor().key().equals(h.tensor().key()) || fx.tensor().channels() != h.tensor().channels()) {
      throw new IllegalArgumentException(
          "an invertible block must keep coordinates and channels: input " + h.tensor() + ", f(x) " + fx.tensor());
    }
    return Variables.result(h.tensor().withFeatures(h.data().add(fx.data())), null);
  }

  /** Solves {@code x + f(x) = y} for x by fixed-point iteration from {@code x = y}. */
  private INDArray invert(Layer f, SparseTensor map, INDArray y, int index) {
    INDArray x = y.dup();
    // below a few units in the last place the iteration cannot improve: FLOAT stops at 1e-6 relative
    double floor = y.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE ? 1e-13 : 1e-6;
    double scale = Math.max(1e-30, y.amaxNumber().doubleValue()) * Math.max(tolerance, floor);
    try (NoGrad ng = NoGrad.enter()) {
      for (int it = 0; it < maxIterations; it++) {
        SparseTensor guess = SparseTensor.wrap(map.manager(), map.key(), x);
        INDArray next;
        try (TensorScope scope = TensorScope.open()) {
          next = y.sub(f.forward(Variable.of(guess, false)).data());
        }
        guess.close();
        double change = next.sub(x).amaxNumber().doubleValue();
        x = next;
        if (change <= scale) {
          return x;
        }
      }
    }
    throw new IllegalStateException("invertible block " + index + " did not converge in " + maxIterations
        + " fixed-point iterations: its residual function is not a contraction; scale its weights down "
        + "or checkpoint it instead");
  }
}
