package org.jsparse.nn.layers;

import org.jsparse.nn.Layer;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.Normalization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch norm over the active sites: batch statistics and a running estimate in training mode,
 * the running estimate in eval mode. Learnable scale and shift; 2C parameters.
 */
public final class BatchNorm extends Layer {
  private final int channels;
  private final double momentum;
  private final double eps;
  private final Parameter gamma;
  private final Parameter beta;
  private boolean recomputeInput;

  /** Momentum 0.1, eps 1e-5 (PyTorch's defaults), FLOAT. */
  public BatchNorm(int channels) {
    this(channels, 0.1, 1e-5, DataType.FLOAT);
  }

  public BatchNorm(int channels, double momentum, double eps, DataType type) {
    if (channels < 1 || !(momentum >= 0 && momentum <= 1) || !(eps > 0)) {
      throw new IllegalArgumentException(
          "BatchNorm needs channels >= 1, momentum in [0, 1], eps > 0; got " + channels + ", " + momentum + ", " + eps);
    }
    this.channels = channels;
    this.momentum = momentum;
    this.eps = eps;
    this.gamma = parameter("weight", Parameter.Role.SCALE, type, channels);
    this.beta = parameter("bias", Parameter.Role.SHIFT, type, channels);
    gamma.data().assign(1);
    buffer("runningMean", Nd4j.zeros(type, channels), true);
    buffer("runningVar", Nd4j.ones(type, channels), true);
  }

  /**
   * Frees the input's features after the forward pass and remakes them for backward when the input
   * is a convolution's result (see {@link Normalization#batchNorm(Variable, Variable, Variable,
   * Normalization.RunningStats, boolean, double, double, boolean)}): use it when nothing else reads
   * the input, as in a conv-norm-activation block.
   */
  public BatchNorm recomputeInput(boolean on) {
    this.recomputeInput = on;
    return this;
  }

  @Override
  public Variable forward(Variable x) {
    LayerChecks.requireInput(x, channels, 0, "BatchNorm(" + channels + ")");
    Normalization.RunningStats running = new Normalization.RunningStats(buffer("runningMean"), buffer("runningVar"));
    return Normalization.batchNorm(x, gamma.variable(), beta.variable(), running, isTraining(), momentum, eps,
        recomputeInput);
  }
}
