package org.jsparse.benchmarks.suite;

/**
 * The activations a dense twin of the completion network ({@code PruningUNet} with the given 7
 * channel counts, every level a full R^3 / 8^i grid, no pruning) keeps for one training step at
 * batch 1, fp32, from shape arithmetic: stem conv-norm-activation; per encoder level a strided
 * and a k3 conv block (3 tensors each); per decoder level a generative conv block, a k3 block, the
 * skip sum and the classifier's logits; the head's logits. Computed, not measured: the project has
 * no dense network (its dense baseline is ND4J's single layer).
 */
final class DenseTwinMemory {
  private DenseTwinMemory() {}

  static long activationBytes(int r, int[] channels) {
    double floats = 0;
    double v0 = Math.pow(r, 3);
    floats += 3 * channels[0] * v0; // stem
    for (int i = 1; i < channels.length; i++) {
      double vi = Math.pow(Math.max(1, r >> i), 3);
      double below = Math.pow(Math.max(1, r >> (i - 1)), 3);
      floats += 6 * channels[i] * vi; // encoder: strided block + k3 block
      floats += (7.0 * channels[i - 1] + 1) * below; // decoder into level i-1: two blocks, the skip sum, the logits
    }
    floats += v0; // head
    return (long) (4 * floats);
  }

  /**
   * Inference keeps no activations for a backward pass: the peak is about the largest layer's
   * input and output together, the stem's conv at full resolution ({@code 1 + c0} channels of R^3,
   * plus the next output of c0).
   */
  static long inferenceBytes(int r, int[] channels) {
    return (long) (4 * Math.pow(r, 3) * (1 + 2.0 * channels[0]));
  }
}
