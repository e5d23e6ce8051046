package org.jsparse.nn.layers;

import org.jsparse.nn.Layer;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.SparseFunctions;

/** {@code x + body(x)}; the body must keep the coordinates and the channel count. */
public final class Residual extends Layer {
  private final Layer body;

  public Residual(Layer body) {
    this.body = register("body", body);
  }

  @Override
  public Variable forward(Variable x) {
    Variable y = body.forward(x);
    if (y.tensor() == null || x.tensor() == null || !y.tensor().key().equals(x.tensor().key())
        || y.tensor().channels() != x.tensor().channels()) {
      throw new IllegalArgumentException(
          "Residual body must keep coordinates and channels: input " + x.tensor() + ", body output " + y.tensor());
    }
    return SparseFunctions.add(x, y);
  }
}
