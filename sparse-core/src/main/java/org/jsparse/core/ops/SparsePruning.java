package org.jsparse.core.ops;

import org.jsparse.core.backend.Buffer;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.RowSelection;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keeps the sites where a mask is true: a new coordinate map and the matching feature rows. */
public final class SparsePruning {
  private SparsePruning() {}

  /**
   * A pruning result.
   *
   * @param output the kept sites
   * @param keptRows for each output row, its input row
   * @param inputRows rows of the input
   */
  public record Result(SparseTensor output, int[] keptRows, int inputRows) {
    /** A copy of the kept rows (the op's backward reads its own). */
    @Override
    public int[] keptRows() {
      return keptRows.clone();
    }
  }

  /** Keeps rows where {@code keep[r]}; an all-false mask gives an empty tensor. */
  public static Result forward(SparseTensor x, boolean[] keep) {
    RowSelection sel = x.manager().prune(x.key(), keep);
    Buffer out = OnBackend.features(x.manager(), "pruning", x.dataType(), sel.sourceRows().length, x.channels());
    x.manager().backend().gatherRows(x.buffer(), sel.sourceRows(), out);
    return new Result(SparseTensor.fromOp(x.manager(), sel.key(), out), sel.sourceRows(), x.size());
  }

  /** {@link #backward(Result, INDArray)} on the manager's backend's buffers; the result is the caller's to close. */
  public static Buffer backward(Result result, Buffer gradOut) {
    if (gradOut.rows() != result.keptRows.length) {
      throw new IllegalArgumentException(
          "pruning gradient has " + gradOut.rows() + " rows, the pruned tensor " + result.keptRows.length);
    }
    CoordinateManager cm = result.output().manager();
    Buffer gin = OnBackend.gradient(cm, gradOut.dataType(), result.inputRows(), gradOut.cols());
    cm.backend().scatterAddRows(gradOut, result.keptRows, gin, 1.0);
    return gin;
  }

  /** Gradient with respect to the input: kept rows get their gradient, pruned rows zero. */
  public static INDArray backward(Result result, INDArray gradOut) {
    if (gradOut.size(0) != result.keptRows.length) {
      throw new IllegalArgumentException(
          "pruning gradient has " + gradOut.size(0) + " rows, the pruned tensor " + result.keptRows.length);
    }
    CoordinateManager cm = result.output().manager();
    try (Buffer g = OnBackend.borrow(cm, gradOut, result.keptRows.length)) {
      return OnBackend.handOut(cm, backward(result, g));
    }
  }
}
