package org.jsparse.core.ops;

import org.jsparse.core.backend.cpu.HostMatrix;
import org.jsparse.core.backend.cpu.HostWorkspace;
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
  public record Result(SparseTensor output, int[] keptRows, int inputRows) {}

  /** Keeps rows where {@code keep[r]}; an all-false mask gives an empty tensor. */
  public static Result forward(SparseTensor x, boolean[] keep) {
    RowSelection sel = x.manager().prune(x.key(), keep);
    try (HostWorkspace ws = new HostWorkspace(x.manager().memory())) {
      HostMatrix in = ws.copyOf(x.features());
      HostMatrix out = ws.output(x.dataType(), sel.sourceRows().length, x.channels());
      for (int r = 0; r < sel.sourceRows().length; r++) {
        in.copyRowTo(sel.sourceRows()[r], out, r, 0);
      }
      return new Result(SparseTensor.fromOp(x.manager(), sel.key(), out.toINDArray()), sel.sourceRows(), x.size());
    }
  }

  /** Gradient with respect to the input: kept rows get their gradient, pruned rows zero. */
  public static INDArray backward(Result result, INDArray gradOut) {
    if (gradOut.size(0) != result.keptRows().length) {
      throw new IllegalArgumentException(
          "pruning gradient has " + gradOut.size(0) + " rows, the pruned tensor " + result.keptRows().length);
    }
    try (HostWorkspace ws = new HostWorkspace(result.output().manager().memory())) {
      HostMatrix g = ws.copyOf(gradOut);
      HostMatrix gin = ws.output(gradOut.dataType(), result.inputRows(), g.cols());
      for (int r = 0; r < result.keptRows().length; r++) {
        g.copyRowTo(r, gin, result.keptRows()[r], 0);
      }
      return gin.toINDArray();
    }
  }
}
