package org.jsparse.nn.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Layer;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.Variable;

/** Layers applied in order; children are named 0, 1, 2... */
public final class Sequential extends Layer {
  private final List<Layer> layers = new ArrayList<>();

  public Sequential(Layer... layers) {
    for (Layer l : layers) {
      add(l);
    }
  }

  /** Appends a layer. */
  public Sequential add(Layer layer) {
    layers.add(register(Integer.toString(layers.size()), layer));
    return this;
  }

  public List<Layer> layers() {
    return Collections.unmodifiableList(layers);
  }

  /**
   * Runs the layers in order. Without a tape ({@link NoGrad}: inference, or a checkpointed
   * segment's forward pass) an intermediate result is freed as soon as the next layer has consumed
   * it, unless that layer's result shares it (an in-place activation, a layer that returns its
   * input): nothing else can reach an intermediate of the chain, and keeping them all until the
   * enclosing {@link org.jsparse.nn.autograd.TensorScope} closes made inference peak above training.
   */
  @Override
  public Variable forward(Variable x) {
    Variable y = x;
    List<SparseTensor> aliased = new ArrayList<>(); // earlier results whose memory the current result still uses
    for (Layer l : layers) {
      Variable next = l.forward(y);
      if (y != x && NoGrad.active()) {
        if (shares(y, next)) {
          if (y.tensor() != null && y.tensor() != next.tensor()) {
            aliased.add(y.tensor()); // next uses y's memory (in place): free it with next
          }
        } else {
          y.tensor().close();
          aliased.forEach(SparseTensor::close);
          aliased.clear();
        }
      }
      y = next;
    }
    return y;
  }

  /** True unless both are sparse and {@code next} holds memory of its own. */
  private static boolean shares(Variable previous, Variable next) {
    SparseTensor a = previous.tensor();
    SparseTensor b = next.tensor();
    return a == null || b == null || a == b || a.buffer() == b.buffer();
  }
}
