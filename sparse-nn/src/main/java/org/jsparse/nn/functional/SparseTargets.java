package org.jsparse.nn.functional;

import java.util.Arrays;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.tensor.SparseTensor;

/**
 * Reads a sparse target at a prediction's sites: the target's coordinates are first floored to
 * the prediction's tensor stride (so a full-resolution ground truth supervises every level of a
 * U-Net), then matched by coordinate through the manager's alignment map.
 */
public final class SparseTargets {
  private SparseTargets() {}

  /** The pairs (prediction row, target row at the prediction's stride) with equal coordinates. */
  public static KernelMap alignment(SparseTensor prediction, SparseTensor target) {
    return prediction.manager().alignmentMap(prediction.key(), targetAtStrideOf(prediction, target));
  }

  /** For each prediction site: is it occupied in the target (at the prediction's stride)? */
  public static boolean[] occupancy(SparseTensor prediction, SparseTensor target) {
    boolean[] hit = new boolean[prediction.size()];
    for (int row : positives(prediction, target)) {
      hit[row] = true;
    }
    return hit;
  }

  /** The prediction's rows occupied in the target (at the prediction's stride), each once: the positive labels. */
  public static int[] positives(SparseTensor prediction, SparseTensor target) {
    KernelMap map = alignment(prediction, target);
    int[] rows = new int[map.pairCount()];
    for (int p = 0; p < rows.length; p++) {
      rows[p] = map.inRow(p);
    }
    return rows;
  }

  /** The target's coordinate map floored to the prediction's stride (the target's own map when equal). */
  public static CoordinateMapKey targetAtStrideOf(SparseTensor prediction, SparseTensor target) {
    prediction.requireSameManager(target, "sparse target");
    CoordinateManager cm = prediction.manager();
    TensorStride want = prediction.tensorStride();
    TensorStride have = target.tensorStride();
    int[] factor = new int[cm.dimension()];
    for (int a = 0; a < factor.length; a++) {
      if (want.get(a) % have.get(a) != 0) {
        throw new IllegalArgumentException(
            "the target is at tensor stride " + have + ", the prediction at " + want
                + "; a target must be at the prediction's stride or finer (insert the ground truth at stride 1)");
      }
      factor[a] = want.get(a) / have.get(a);
    }
    return Arrays.stream(factor).allMatch(f -> f == 1) ? target.key() : cm.stride(target.key(), factor);
  }
}
