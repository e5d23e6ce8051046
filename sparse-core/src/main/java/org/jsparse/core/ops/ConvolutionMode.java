package org.jsparse.core.ops;

/** Which coordinates a convolution writes to. */
public enum ConvolutionMode {
  /** Submanifold (stride 1, output = input coordinates) or strided (output = floored input). */
  REGULAR,
  /** Back to a finer map that already exists (the encoder's, in a U-Net): the adjoint of REGULAR. */
  TRANSPOSED,
  /** Transposed onto new coordinates: every {@code c + offset_k}. */
  GENERATIVE
}
