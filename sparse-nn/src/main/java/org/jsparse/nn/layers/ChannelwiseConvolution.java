package org.jsparse.nn.layers;

import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.nn.Initializer;
import org.jsparse.nn.Layer;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.Channelwise;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Channel-wise (depthwise) convolution layer: each of C channels convolved with its own kernel,
 * weight {@code [K, C]} and an optional bias {@code [C]}, on any geometry a {@link ConvolutionSpec}
 * describes (submanifold, strided, transposed, generative). MinkowskiEngine's
 * {@code MinkowskiChannelwiseConvolution}.
 */
public final class ChannelwiseConvolution extends Layer {
  private final ConvolutionSpec spec;
  private final Parameter weight;
  private final Parameter bias;

  /** A FLOAT layer with Kaiming-normal weights and a bias. */
  public ChannelwiseConvolution(ConvolutionSpec spec, int channels, long seed) {
    this(spec, channels, true, DataType.FLOAT, Initializer.kaimingNormal(), seed);
  }

  public ChannelwiseConvolution(ConvolutionSpec spec, int channels, boolean bias, DataType type, Initializer init,
      long seed) {
    if (channels < 1) {
      throw new IllegalArgumentException("a channel-wise convolution needs >= 1 channel, got " + channels);
    }
    this.spec = spec;
    this.weight = parameter("weight", Parameter.Role.WEIGHT, type, spec.region().volume(), channels);
    this.bias = bias ? parameter("bias", Parameter.Role.BIAS, type, channels) : null;
    initialize(init, seed);
  }

  @Override
  public Variable forward(Variable x) {
    return forward(x, null);
  }

  /** For a TRANSPOSED spec, the target map ({@code null}: the map x was derived from). */
  public Variable forward(Variable x, CoordinateMapKey target) {
    return Channelwise.convolution(x, weight.variable(), bias == null ? null : bias.variable(), spec, target);
  }

  public ConvolutionSpec spec() {
    return spec;
  }

  public Parameter weight() {
    return weight;
  }
}
