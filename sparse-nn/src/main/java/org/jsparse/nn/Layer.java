package org.jsparse.nn;

import org.jsparse.nn.autograd.Variable;

/** A module with one input and one output, so that it can sit in a {@link org.jsparse.nn.layers.Sequential}. */
public abstract class Layer extends Module {
  /** Applies the layer; records the op for backward unless under NoGrad. */
  public abstract Variable forward(Variable x);
}
