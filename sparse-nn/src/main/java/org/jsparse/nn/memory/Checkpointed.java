package org.jsparse.nn.memory;

import java.util.ArrayList;
import java.util.List;
import org.jsparse.nn.Layer;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.TensorScope;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A checkpointed segment (gradient checkpointing, as in the block-wise learning seed): the forward
 * pass runs the body without recording and keeps only its input; the backward pass runs the body
 * again with recording from that input and back-propagates through the recomputed graph. The
 * segment's activations then live only while its own backward runs. Gradients equal plain
 * backprop: the recomputation sees the same input, weights and buffers (running statistics and
 * dropout counters are restored around it), so the same values come out.
 */
public final class Checkpointed extends Layer {
  private final Layer body;

  public Checkpointed(Layer body) {
    this.body = register("body", body);
  }

  @Override
  public Variable forward(Variable x) {
    List<Parameter> params = body.parameters();
    boolean record = !NoGrad.active() && (x.requiresGrad() || params.stream().anyMatch(p -> p.variable().requiresGrad()));
    if (!record) {
      return body.forward(x);
    }
    BufferSnapshot before = new BufferSnapshot(body);
    Variable y;
    try (NoGrad ng = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
      y = scope.keep(body.forward(x));
    }
    List<Variable> inputs = new ArrayList<>(List.of(x));
    params.forEach(p -> inputs.add(p.variable()));
    Node node = new Node(inputs.toArray(new Variable[0])) {
      @Override
      protected INDArray[] backward(INDArray g) {
        BufferSnapshot after = new BufferSnapshot(body);
        before.restore();
        Variable leaf = x.tensor() == null ? Variable.of(x.data(), true) : Variable.of(x.tensor(), true);
        body.forward(leaf).backward(g);
        after.restore();
        INDArray[] grads = new INDArray[inputs().length];
        grads[0] = leaf.grad();
        return grads;
      }
    };
    return y.tensor() == null ? Variables.result(y.data(), node) : Variables.result(y.tensor(), node);
  }
}
