package org.jsparse.nn.layers;

import org.jsparse.nn.Initializer;
import org.jsparse.nn.Layer;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.SparseFunctions;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A 1x1 convolution, {@code y = x W + b} per site, weight {@code [Cin, Cout]}; needs no kernel map.
 * Works in any D (coordinates pass through) and on dense {@code [B, C]} values.
 */
public final class Linear extends Layer {
  private final int inChannels;
  private final Parameter weight;
  private final Parameter bias;

  /** With bias, FLOAT, Kaiming-normal weights from seed 0. */
  public Linear(int inChannels, int outChannels) {
    this(inChannels, outChannels, true, DataType.FLOAT, Initializer.kaimingNormal(), 0);
  }

  public Linear(int inChannels, int outChannels, boolean bias, DataType type, Initializer init, long seed) {
    if (inChannels < 1 || outChannels < 1) {
      throw new IllegalArgumentException("Linear needs channels >= 1, got " + inChannels + " -> " + outChannels);
    }
    this.inChannels = inChannels;
    this.weight = parameter("weight", Parameter.Role.WEIGHT, type, inChannels, outChannels);
    this.bias = bias ? parameter("bias", Parameter.Role.BIAS, type, outChannels) : null;
    initialize(init, seed);
  }

  @Override
  public Variable forward(Variable x) {
    if (x.shape()[1] != inChannels) {
      throw new IllegalArgumentException(
          "Linear expects " + inChannels + " input channels but the input has " + x.shape()[1]);
    }
    return SparseFunctions.linear(x, weight.variable(), bias == null ? null : bias.variable());
  }

  public Parameter weight() {
    return weight;
  }
}
