package org.jsparse.core.coords;

import java.util.Arrays;

/**
 * Per-axis tensor stride of a coordinate map: a tensor at stride {@code t} holds coordinates that
 * are multiples of {@code t} on every spatial axis, always expressed in input-voxel units.
 * Immutable.
 */
public final class TensorStride {
  private final int[] stride;

  private TensorStride(int[] stride) {
    if (stride.length < 1) {
      throw new IllegalArgumentException("a tensor stride needs at least one spatial axis");
    }
    for (int s : stride) {
      if (s < 1) {
        throw new IllegalArgumentException(
            "tensor stride must be >= 1 on every axis, got " + Arrays.toString(stride));
      }
    }
    this.stride = stride;
  }

  /** A stride given axis by axis. */
  public static TensorStride of(int... stride) {
    return new TensorStride(stride.clone());
  }

  /** The same stride {@code t} on all {@code dimension} axes. */
  public static TensorStride uniform(int dimension, int t) {
    int[] s = new int[dimension];
    Arrays.fill(s, t);
    return new TensorStride(s);
  }

  /** Number of spatial axes. */
  public int dimension() {
    return stride.length;
  }

  /** Stride on one axis. */
  public int get(int axis) {
    return stride[axis];
  }

  /** A copy of the per-axis strides. */
  public int[] toArray() {
    return stride.clone();
  }

  /** This stride multiplied axis by axis by a convolution stride (the output of a strided conv). */
  public TensorStride times(int[] convStride) {
    checkDimension(convStride);
    int[] s = new int[stride.length];
    for (int a = 0; a < s.length; a++) {
      s[a] = Math.multiplyExact(stride[a], convStride[a]);
    }
    return new TensorStride(s);
  }

  /** This stride divided axis by axis (the output of a transposed conv); must divide exactly. */
  public TensorStride divide(int[] convStride) {
    checkDimension(convStride);
    int[] s = new int[stride.length];
    for (int a = 0; a < s.length; a++) {
      if (convStride[a] < 1 || stride[a] % convStride[a] != 0) {
        throw new IllegalArgumentException(
            "transposed stride " + Arrays.toString(convStride) + " does not divide tensor stride "
                + this + "; a transposed conv can only go back to a finer stride that exists");
      }
      s[a] = stride[a] / convStride[a];
    }
    return new TensorStride(s);
  }

  private void checkDimension(int[] other) {
    if (other.length != stride.length) {
      throw new IllegalArgumentException(
          "stride " + Arrays.toString(other) + " has " + other.length + " axes, tensor stride "
              + this + " has " + stride.length);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorStride other && Arrays.equals(stride, other.stride);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(stride);
  }

  @Override
  public String toString() {
    return Arrays.toString(stride);
  }
}
