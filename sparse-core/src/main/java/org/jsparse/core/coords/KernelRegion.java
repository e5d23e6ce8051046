package org.jsparse.core.coords;

import java.util.Arrays;

/**
 * The offsets a kernel visits: per-axis kernel size and dilation plus a region type.
 *
 * <p>Conventions (MinkowskiEngine-compatible). On an axis of size K, position i maps to offset
 * {@code (i - K/2) * dilation * t} for odd K (centred) and {@code i * dilation * t} for even K
 * (corner-aligned toward +; K=2 gives {0, t}), where t is the tensor stride the offsets are taken
 * at. Hypercube kernel index {@code k = i1 + K1*(i2 + K2*(i3 ...))}, first spatial axis fastest.
 * Hypercross order: the centre first, then axis 1's non-centre positions in increasing i, then
 * axis 2's, and so on. Custom offsets are given in kernel steps and scaled by
 * {@code dilation * t}, in the order given. Immutable; equal regions are {@code equals}.
 */
public final class KernelRegion {
  private final RegionType type;
  private final int[] size;
  private final int[] dilation;
  private final int[][] steps;

  private KernelRegion(RegionType type, int[] size, int[] dilation, int[][] steps) {
    this.type = type;
    this.size = size;
    this.dilation = dilation;
    this.steps = steps;
  }

  /** A hypercube of the same size on all D axes, dilation 1. */
  public static KernelRegion cube(int dimension, int kernelSize) {
    return hypercube(filled(dimension, kernelSize), filled(dimension, 1));
  }

  /** A hypercube with per-axis sizes and dilations (e.g. 3x3x3x1 for space + time). */
  public static KernelRegion hypercube(int[] kernelSize, int[] dilation) {
    checkSizes(kernelSize, dilation);
    int d = kernelSize.length;
    int volume = 1;
    for (int k : kernelSize) {
      volume = Math.multiplyExact(volume, k);
    }
    int[][] steps = new int[volume][d];
    for (int k = 0; k < volume; k++) {
      int rest = k;
      for (int a = 0; a < d; a++) {
        int i = rest % kernelSize[a];
        rest /= kernelSize[a];
        steps[k][a] = position(i, kernelSize[a]);
      }
    }
    return new KernelRegion(RegionType.HYPERCUBE, kernelSize.clone(), dilation.clone(), steps);
  }

  /** A hypercross with per-axis (odd) sizes and dilations. */
  public static KernelRegion hypercross(int[] kernelSize, int[] dilation) {
    checkSizes(kernelSize, dilation);
    int d = kernelSize.length;
    int volume = 1;
    for (int k : kernelSize) {
      if (k % 2 == 0) {
        throw new IllegalArgumentException(
            "a hypercross needs odd kernel sizes (it has a centre), got " + Arrays.toString(kernelSize));
      }
      volume += k - 1;
    }
    int[][] steps = new int[volume][d];
    int n = 1;
    for (int a = 0; a < d; a++) {
      for (int i = 0; i < kernelSize[a]; i++) {
        int p = position(i, kernelSize[a]);
        if (p != 0) {
          steps[n++][a] = p;
        }
      }
    }
    return new KernelRegion(RegionType.HYPERCROSS, kernelSize.clone(), dilation.clone(), steps);
  }

  /**
   * Custom offsets in kernel steps (each scaled by {@code dilation * t} per axis), kept in the
   * order given; duplicates are rejected.
   */
  public static KernelRegion custom(int[][] offsetSteps, int[] dilation) {
    if (offsetSteps.length == 0) {
      throw new IllegalArgumentException("a custom kernel region needs at least one offset");
    }
    int d = dilation.length;
    int[][] steps = new int[offsetSteps.length][];
    int[] extent = new int[d];
    for (int k = 0; k < offsetSteps.length; k++) {
      if (offsetSteps[k].length != d) {
        throw new IllegalArgumentException(
            "custom offset " + k + " has " + offsetSteps[k].length + " axes, dilation has " + d);
      }
      for (int j = 0; j < k; j++) {
        if (Arrays.equals(offsetSteps[j], offsetSteps[k])) {
          throw new IllegalArgumentException(
              "custom offset " + Arrays.toString(offsetSteps[k]) + " appears twice (at " + j + " and " + k + ")");
        }
      }
      steps[k] = offsetSteps[k].clone();
      for (int a = 0; a < d; a++) {
        extent[a] = Math.max(extent[a], 2 * Math.abs(steps[k][a]) + 1);
      }
    }
    checkSizes(extent, dilation);
    return new KernelRegion(RegionType.CUSTOM, extent, dilation.clone(), steps);
  }

  private static int position(int i, int k) {
    return (k % 2 == 1) ? i - k / 2 : i;
  }

  private static int[] filled(int n, int v) {
    int[] a = new int[n];
    Arrays.fill(a, v);
    return a;
  }

  private static void checkSizes(int[] kernelSize, int[] dilation) {
    if (kernelSize.length < 1 || kernelSize.length > 4 || kernelSize.length != dilation.length) {
      throw new IllegalArgumentException(
          "kernel size " + Arrays.toString(kernelSize) + " and dilation " + Arrays.toString(dilation)
              + " must both have D = 1..4 entries");
    }
    for (int a = 0; a < kernelSize.length; a++) {
      if (kernelSize[a] < 1 || dilation[a] < 1) {
        throw new IllegalArgumentException(
            "kernel size and dilation must be >= 1 on every axis, got size "
                + Arrays.toString(kernelSize) + ", dilation " + Arrays.toString(dilation));
      }
    }
  }

  public RegionType type() {
    return type;
  }

  /** Number of spatial axes. */
  public int dimension() {
    return size.length;
  }

  /** Number of offsets (the kernel volume). */
  public int volume() {
    return steps.length;
  }

  /** Per-axis kernel size (for CUSTOM: the smallest odd extent that holds every offset). */
  public int[] kernelSize() {
    return size.clone();
  }

  public int[] dilation() {
    return dilation.clone();
  }

  /** True for a single zero offset (a 1x1 kernel: the convolution is a plain matrix product). */
  public boolean isIdentity() {
    return steps.length == 1 && Arrays.stream(steps[0]).allMatch(v -> v == 0);
  }

  /** Coordinate offsets {@code [volume][D]} at tensor stride {@code t}. */
  public int[][] offsets(TensorStride t) {
    if (t.dimension() != size.length) {
      throw new IllegalArgumentException(
          "kernel region has D=" + size.length + " but tensor stride " + t + " has D=" + t.dimension());
    }
    int[][] out = new int[steps.length][size.length];
    for (int k = 0; k < steps.length; k++) {
      for (int a = 0; a < size.length; a++) {
        out[k][a] = Math.multiplyExact(steps[k][a], Math.multiplyExact(dilation[a], t.get(a)));
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KernelRegion r
        && r.type == type
        && Arrays.equals(r.size, size)
        && Arrays.equals(r.dilation, dilation)
        && Arrays.deepEquals(r.steps, steps);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * type.hashCode() + Arrays.hashCode(size)) + Arrays.deepHashCode(steps)
        + 7 * Arrays.hashCode(dilation);
  }

  @Override
  public String toString() {
    return type + Arrays.toString(size) + (Arrays.stream(dilation).allMatch(v -> v == 1)
        ? "" : " dilation " + Arrays.toString(dilation));
  }
}
