package org.jsparse.nn.layers;

import org.jsparse.core.ops.GlobalPooling;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Module;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.FeatureView;
import org.jsparse.nn.functional.SparseFunctions;
import org.jsparse.nn.functional.SparseTargets;

/**
 * Keeps the sites whose logit exceeds a threshold (0: probability 0.5). In training mode with a
 * target, the target's sites at this stride are kept too (teacher forcing, as in
 * MinkowskiEngine's completion example), so the decoder sees the true structure early in
 * training. If no site of a batch item passes, that item keeps its arg-max sites (the ULM
 * network's fallback) so that no batch item vanishes. The keep decision carries no gradient;
 * the features of the kept sites do.
 */
public final class Pruning extends Module {
  private final double threshold;

  /** Threshold 0 on logits. */
  public Pruning() {
    this(0);
  }

  public Pruning(double threshold) {
    this.threshold = threshold;
  }

  /**
   * The pruned tensor and which input sites were kept.
   *
   * @param output the kept sites of the input
   * @param keep one entry per input site
   */
  public record Result(Variable output, boolean[] keep) {
    /** A copy of the mask. */
    @Override
    public boolean[] keep() {
      return keep.clone();
    }

    /** Number of kept sites. */
    public int kept() {
      int n = 0;
      for (boolean k : keep) {
        n += k ? 1 : 0;
      }
      return n;
    }
  }

  /**
   * @param x features to prune
   * @param logits one channel on x's coordinates
   * @param target ground truth (any finer or equal stride, same manager); null for none
   */
  public Result forward(Variable x, Variable logits, SparseTensor target) {
    SparseTensor xt = x.tensor();
    SparseTensor lt = logits.tensor();
    if (xt == null || lt == null || lt.channels() != 1) {
      throw new IllegalArgumentException("pruning needs sparse features and sparse one-channel logits");
    }
    if (!lt.key().equals(xt.key())) {
      throw new IllegalArgumentException(
          "pruning logits lie on " + lt.key() + " but the features on " + xt.key() + "; classify the features being pruned");
    }
    boolean[] keep = lt.manager().backend().greaterThan(lt.buffer(), threshold); // a byte a site from a device
    if (isTraining() && target != null) {
      boolean[] truth = SparseTargets.occupancy(xt, target);
      for (int i = 0; i < keep.length; i++) {
        keep[i] |= truth[i];
      }
    }
    int batches = GlobalPooling.batchCount(xt);
    // one batch item (the usual training step): no per-row batch table needed
    keepArgmaxOfEmptyItems(batches == 1 ? null : xt.manager().batchIndices(xt.key()), batches, logits, keep);
    return new Result(SparseFunctions.prune(x, keep), keep);
  }

  /**
   * Keeps exactly one site, the arg-max, of every batch item that would lose all its sites: ties
   * go to the lowest row, NaN logits never win (an item of NaNs keeps its first row).
   * {@code batchOfRow} null means all rows are in item 0. Reads the logits (to the host, from a
   * device) only when some item would vanish.
   */
  private static void keepArgmaxOfEmptyItems(int[] batchOfRow, int batches, Variable logits, boolean[] keep) {
    boolean[] any = new boolean[batches];
    boolean[] present = new boolean[batches];
    for (int r = 0; r < keep.length; r++) {
      int b = batchOfRow == null ? 0 : batchOfRow[r];
      any[b] |= keep[r];
      present[b] = true;
    }
    boolean vanishing = false;
    for (int b = 0; b < batches; b++) {
      vanishing |= present[b] && !any[b];
    }
    if (!vanishing) {
      return;
    }
    FeatureView z = FeatureView.of(logits.data());
    int[] best = new int[batches];
    java.util.Arrays.fill(best, -1);
    for (int r = 0; r < z.length(); r++) {
      int b = batchOfRow == null ? 0 : batchOfRow[r];
      if (best[b] < 0 || z.get(r) > z.get(best[b]) || Double.isNaN(z.get(best[b])) && !Double.isNaN(z.get(r))) {
        best[b] = r;
      }
    }
    for (int b = 0; b < batches; b++) {
      if (!any[b] && best[b] >= 0) {
        keep[best[b]] = true;
      }
    }
  }
}
