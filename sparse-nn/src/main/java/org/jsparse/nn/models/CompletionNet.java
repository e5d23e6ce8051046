package org.jsparse.nn.models;

import org.jsparse.nn.layers.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The skull-completion network of Kroviakov et al. and Li et al. (MinkowskiEngine's completion
 * example with encoder skips): a 7-level {@link PruningUNet} with stride-2 k2 encoder convs,
 * generative transposed decoder convs (k4 at the coarsest level, k2 after), ReLU, per-level 1x1
 * classifiers and pruning with teacher forcing, trained with the sum of per-level BCE. With
 * {@link #CH1} it has 434,695 parameters, with {@link #CH2} 18,137,201, as the seed reports.
 */
public final class CompletionNet {
  /** The small channel set (0.435 M parameters). */
  public static final int[] CH1 = {8, 8, 16, 16, 32, 32, 64};
  /** The large channel set (18.14 M parameters). */
  public static final int[] CH2 = {22, 32, 32, 128, 156, 256, 388};

  private CompletionNet() {}

  /** A 3-D completion network with these 7 channels, one input channel, FLOAT. */
  public static PruningUNet build(int[] channels, long seed) {
    return build(channels, 3, DataType.FLOAT, seed);
  }

  public static PruningUNet build(int[] channels, int dimension, DataType type, long seed) {
    return builder(channels, dimension, type, seed).build();
  }

  /** The completion network's builder, for the optional settings (e.g. {@code optRecompute(true)}). */
  public static PruningUNet.Builder builder(int[] channels, int dimension, DataType type, long seed) {
    if (channels.length != 7) {
      throw new IllegalArgumentException(
          "the completion network has 7 channel entries (stride 1 to 64), got " + channels.length);
    }
    return PruningUNet.builder().setDimension(dimension).setChannels(channels).optFirstDecoderKernel(4)
        .optActivation(Activation::relu).optDataType(type).optSeed(seed);
  }
}
