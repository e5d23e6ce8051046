package org.jsparse.nn.layers;

import org.jsparse.nn.Layer;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.Normalization;
import org.nd4j.linalg.api.buffer.DataType;

/** Instance norm: each batch item's active sites normalized per channel; optional affine part. */
public final class InstanceNorm extends Layer {
  private final int channels;
  private final double eps;
  private final Parameter gamma;
  private final Parameter beta;

  /** Affine, eps 1e-5, FLOAT. */
  public InstanceNorm(int channels) {
    this(channels, true, 1e-5, DataType.FLOAT);
  }

  public InstanceNorm(int channels, boolean affine, double eps, DataType type) {
    if (channels < 1 || !(eps > 0)) {
      throw new IllegalArgumentException("InstanceNorm needs channels >= 1 and eps > 0");
    }
    this.channels = channels;
    this.eps = eps;
    this.gamma = affine ? parameter("weight", Parameter.Role.SCALE, type, channels) : null;
    this.beta = affine ? parameter("bias", Parameter.Role.SHIFT, type, channels) : null;
    if (affine) {
      gamma.data().assign(1);
    }
  }

  @Override
  public Variable forward(Variable x) {
    LayerChecks.requireInput(x, channels, 0, "InstanceNorm(" + channels + ")");
    return Normalization.instanceNorm(x, gamma == null ? null : gamma.variable(),
        beta == null ? null : beta.variable(), eps);
  }
}
