package org.jsparse.nn.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jsparse.nn.Layer;
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

  @Override
  public Variable forward(Variable x) {
    Variable y = x;
    for (Layer l : layers) {
      y = l.forward(y);
    }
    return y;
  }
}
