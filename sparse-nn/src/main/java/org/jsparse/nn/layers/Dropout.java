package org.jsparse.nn.layers;

import org.jsparse.nn.Layer;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.SparseFunctions;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Inverted dropout in training mode, identity in eval mode. The mask of call n is a function of
 * (seed, n) and the element's index, drawn on the features' backend; n is a saved buffer, so a
 * resumed run and a recomputed (checkpointed) segment draw the same masks.
 */
public final class Dropout extends Layer {
  private final double p;
  private final long seed;

  public Dropout(double p, long seed) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
    }
    this.p = p;
    this.seed = seed;
    buffer("calls", Nd4j.zeros(DataType.DOUBLE, 1), false);
  }

  @Override
  public Variable forward(Variable x) {
    if (!isTraining() || p == 0) {
      return x;
    }
    long n = (long) buffer("calls").getDouble(0);
    buffer("calls").putScalar(0, n + 1);
    return SparseFunctions.dropout(x, p, seed * 0x9E3779B97F4A7C15L + n);
  }
}
