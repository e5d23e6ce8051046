package org.jsparse.examples.ulm;

/**
 * The activation memory a dense network with the same layers as {@code SparseDeepStULM} needs for
 * one training step, from shape arithmetic: every conv, norm, activation, pooling, concatenation
 * and addition output is a full grid at its tensor stride ({@code (8W / s)^D} spatial voxels times
 * {@code ceil(T / t)} frames, fp32), kept for the backward pass. No pruning in the dense net: the
 * high-resolution levels cover the whole grid. Computed, not measured (there is no dense ULM
 * network in the project).
 */
public final class DenseUlmMemory {
  private final int width;
  private final int frames;
  private final int spatialDims;
  private long floats;

  private DenseUlmMemory(int width, int frames, int spatialDims) {
    this.width = width;
    this.frames = frames;
    this.spatialDims = spatialDims;
  }

  private void add(int tensors, int channels, int spaceStride, int timeStride) {
    long side = (long) width * UlmWindow.SCALE / spaceStride;
    long voxels = 1;
    for (int a = 0; a < spatialDims; a++) {
      voxels *= side;
    }
    voxels *= (frames + timeStride - 1) / timeStride;
    floats += tensors * channels * voxels;
  }

  /** Bytes of the activations of one step at batch 1, base channels {@code c}, time pooling 4, 4, 4, 8. */
  public static long activationBytes(int width, int frames, int spatialDims, int c) {
    DenseUlmMemory m = new DenseUlmMemory(width, frames, spatialDims);
    m.add(5, c, 8, 1); // input: conv, norm, the repeated input, sum, ELU
    m.add(3, 2 * c, 8, 1); // down 1: 1x1 conv, norm, ELU
    m.add(12, 2 * c, 16, 4); // pool, 3 x (conv, norm, ELU), sum, ELU
    m.add(3, 4 * c, 16, 4); // down 2
    m.add(12, 4 * c, 32, 16);
    m.add(1, 2 * c, 16, 16); // skip 1
    m.add(4, 2 * c, 16, 16); // up 1: transposed conv, conv, norm, ELU
    m.add(12, 4 * c, 16, 16); // concat, 3 x 3, sum, ELU
    m.add(1, c, 8, 16); // skip 2
    m.add(4, c, 8, 16); // up 2
    m.add(12, 2 * c, 8, 16);
    m.add(3, c, 8, 16); // transition 1
    m.add(9, c, 8, 64);
    for (int s = 8; s >= 2; s /= 2) { // the three high-resolution levels
      m.add(2, 1, s, 64); // classifier logits and sigmoid
      m.add(14, c, s / 2, 64); // generative up (conv, norm, ELU), 3 x 3, sum, ELU
    }
    m.add(7, c, 1, 512); // transition 2: pool, 2 x 3
    m.add(9, c / 2, 1, 512); // output convs
    m.add(2, 1, 1, 512); // head and sigmoid
    return 4 * m.floats;
  }
}
