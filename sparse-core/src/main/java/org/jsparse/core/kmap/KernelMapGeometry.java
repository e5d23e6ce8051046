package org.jsparse.core.kmap;

import org.jsparse.core.coords.TensorStride;

/**
 * What a kernel map key asks the builder for: the region's offsets in coordinate units and the
 * sign of the lookup ({@code in = out + sign * offset}), after checking that the two maps' tensor
 * strides fit the kind: CONVOLUTION/POOLING need {@code out.stride = in.stride * convStride},
 * TRANSPOSED {@code out.stride = in.stride / convStride}, ALIGNMENT equal strides.
 */
record KernelMapGeometry(int[][] offsets, int sign) {
  /** The geometry of {@code key}, whose region the caller checked to have this manager's D. */
  static KernelMapGeometry of(KernelMapKey key, int dimension) {
    TensorStride in = key.in().stride();
    int[] s = key.convStride().toArray();
    return switch (key.kind()) {
      case CONVOLUTION, POOLING -> {
        expectStride(key, in.times(s));
        yield new KernelMapGeometry(key.region().offsets(in), 1);
      }
      case TRANSPOSED -> {
        expectStride(key, in.divide(s));
        yield new KernelMapGeometry(key.region().offsets(key.out().stride()), -1);
      }
      case ALIGNMENT -> {
        expectStride(key, in);
        yield new KernelMapGeometry(new int[][] {new int[dimension]}, 1);
      }
    };
  }

  private static void expectStride(KernelMapKey key, TensorStride expected) {
    if (!key.out().stride().equals(expected)) {
      throw new IllegalArgumentException(
          key.kind() + " map from " + key.in() + " with stride " + key.convStride() + " must land on tensor stride "
              + expected + ", but the output map " + key.out() + " is at " + key.out().stride());
    }
  }
}
