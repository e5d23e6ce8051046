package org.jsparse.nn.layers;

import java.util.Arrays;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.nn.Layer;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.Channelwise;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Unpooling (MinkowskiEngine's {@code MinkowskiPoolingTranspose}): a coarse tensor spread back to
 * a finer stride, every output site summing the input sites whose window covers it (with kernel
 * size = stride, each fine site takes its parent's value: nearest-neighbour upsampling). Onto the
 * finer map the input was pooled from, or, {@code generative}, onto every site the windows cover.
 * No parameters: a channel-wise transposed convolution with all-one kernels.
 */
public final class Unpooling extends Layer {
  private final ConvolutionSpec spec;

  /** Kernel {@code kernelSize}^D and stride {@code stride} on every axis. */
  public Unpooling(int dimension, int kernelSize, int stride, boolean generative) {
    int[] s = new int[dimension];
    Arrays.fill(s, stride);
    KernelRegion region = KernelRegion.cube(dimension, kernelSize);
    this.spec = generative ? ConvolutionSpec.generative(region, s) : ConvolutionSpec.transposed(region, s);
  }

  @Override
  public Variable forward(Variable x) {
    return forward(x, null);
  }

  /** Onto {@code target} (a finer map of the same manager), or null for the map x was pooled from. */
  public Variable forward(Variable x, CoordinateMapKey target) {
    if (x.tensor() == null) {
      throw new IllegalArgumentException("unpooling needs a sparse value");
    }
    DataType type = x.tensor().dataType();
    Variable ones = Variable.of(Nd4j.ones(type, spec.region().volume(), x.tensor().channels()), false);
    return Channelwise.convolution(x, ones, null, spec, spec.mode() == org.jsparse.core.ops.ConvolutionMode.GENERATIVE
        ? null : target);
  }
}
