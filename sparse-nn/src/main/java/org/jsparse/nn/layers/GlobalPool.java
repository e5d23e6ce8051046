package org.jsparse.nn.layers;

import org.jsparse.core.ops.PoolingMode;
import org.jsparse.nn.Layer;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.SparseFunctions;

/** Global max/average/sum pooling: one dense row {@code [B, C]} per batch item. */
public final class GlobalPool extends Layer {
  private final PoolingMode mode;

  public GlobalPool(PoolingMode mode) {
    this.mode = mode;
  }

  @Override
  public Variable forward(Variable x) {
    LayerChecks.requireInput(x, 0, 0, "global " + mode + " pooling");
    return SparseFunctions.globalPool(x, mode);
  }
}
