package org.jsparse.core.ops;

import java.util.Arrays;
import org.jsparse.core.coords.KernelRegion;

/**
 * The geometry of a sparse convolution: kernel region (size, dilation, shape), per-axis stride and
 * mode. Immutable.
 *
 * @param region kernel offsets
 * @param stride per-axis stride (all 1 for submanifold)
 * @param mode regular, transposed or generative
 */
public record ConvolutionSpec(KernelRegion region, int[] stride, ConvolutionMode mode) {
  /** Validates and copies the stride. */
  public ConvolutionSpec {
    if (stride.length != region.dimension()) {
      throw new IllegalArgumentException(
          "stride " + Arrays.toString(stride) + " has " + stride.length + " axes, kernel region has D=" + region.dimension());
    }
    for (int s : stride) {
      if (s < 1) {
        throw new IllegalArgumentException("stride must be >= 1 on every axis, got " + Arrays.toString(stride));
      }
    }
    stride = stride.clone();
  }

  /** Stride 1, output on the input's coordinates. */
  public static ConvolutionSpec submanifold(KernelRegion region) {
    return new ConvolutionSpec(region, ones(region.dimension()), ConvolutionMode.REGULAR);
  }

  /** Strided convolution (downsampling). */
  public static ConvolutionSpec strided(KernelRegion region, int... stride) {
    return new ConvolutionSpec(region, stride, ConvolutionMode.REGULAR);
  }

  /** Transposed convolution onto the existing finer map (upsampling in a U-Net decoder). */
  public static ConvolutionSpec transposed(KernelRegion region, int... stride) {
    return new ConvolutionSpec(region, stride, ConvolutionMode.TRANSPOSED);
  }

  /** Generative transposed convolution: creates every {@code c + offset_k}. */
  public static ConvolutionSpec generative(KernelRegion region, int... stride) {
    return new ConvolutionSpec(region, stride, ConvolutionMode.GENERATIVE);
  }

  private static int[] ones(int d) {
    int[] a = new int[d];
    Arrays.fill(a, 1);
    return a;
  }

  @Override
  public int[] stride() {
    return stride.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConvolutionSpec s && s.region.equals(region) && Arrays.equals(s.stride, stride) && s.mode == mode;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * region.hashCode() + Arrays.hashCode(stride)) + mode.hashCode();
  }

  @Override
  public String toString() {
    return mode + " " + region + " stride " + Arrays.toString(stride);
  }
}
