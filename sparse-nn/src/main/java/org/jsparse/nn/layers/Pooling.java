package org.jsparse.nn.layers;

import java.util.Arrays;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.ops.PoolingMode;
import org.jsparse.nn.Layer;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.SparseFunctions;

/**
 * Max, average or sum pooling with per-axis kernel and stride (e.g. space 2, time 4 in the ULM
 * network's down transitions); the output sites are the input's floored to the new stride.
 */
public final class Pooling extends Layer {
  private final KernelRegion region;
  private final int[] stride;
  private final PoolingMode mode;

  /** @param kernel one size per axis; @param stride one stride per axis */
  public Pooling(PoolingMode mode, int[] kernel, int[] stride) {
    if (kernel.length != stride.length) {
      throw new IllegalArgumentException(
          "pooling kernel " + Arrays.toString(kernel) + " and stride " + Arrays.toString(stride) + " need one value per axis");
    }
    int[] ones = new int[kernel.length];
    Arrays.fill(ones, 1);
    this.region = KernelRegion.hypercube(kernel, ones);
    this.stride = stride.clone();
    this.mode = mode;
  }

  /** Max pooling with kernel = stride (non-overlapping windows). */
  public static Pooling max(int... stride) {
    return new Pooling(PoolingMode.MAX, stride, stride);
  }

  /** Average pooling with kernel = stride. */
  public static Pooling average(int... stride) {
    return new Pooling(PoolingMode.AVERAGE, stride, stride);
  }

  @Override
  public Variable forward(Variable x) {
    LayerChecks.requireInput(x, 0, region.dimension(), mode + " pooling");
    return SparseFunctions.pool(x, region, stride, mode);
  }
}
