package org.jsparse.core.ops;

import java.util.ArrayList;
import java.util.List;
import org.jsparse.core.backend.cpu.HostMatrix;
import org.jsparse.core.backend.cpu.HostWorkspace;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.Union;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Sum of tensors on the union of their coordinates (a site missing in one input counts as zero). */
public final class SparseUnion {
  private SparseUnion() {}

  /**
   * A union result.
   *
   * @param output the summed tensor on the union map
   * @param rowMaps {@code rowMaps[i][r]}: output row of row r of input i
   */
  public record Result(SparseTensor output, int[][] rowMaps) {}

  /** Sums the inputs on the union of their coordinate maps; all inputs share manager, stride and channels. */
  public static Result forward(List<SparseTensor> inputs) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("union needs at least one tensor");
    }
    SparseTensor first = inputs.get(0);
    List<CoordinateMapKey> keys = new ArrayList<>();
    for (SparseTensor t : inputs) {
      first.requireSameManager(t, "union");
      ChannelOps.requireSameChannelsAndType(first, t, "union");
      keys.add(t.key());
    }
    Union u = first.manager().union(keys);
    try (HostWorkspace ws = new HostWorkspace(first.manager().memory())) {
      HostMatrix out = ws.output(first.dataType(), first.manager().size(u.key()), first.channels());
      for (int i = 0; i < inputs.size(); i++) {
        HostMatrix in = ws.copyOf(inputs.get(i).features());
        int[] rows = u.rowMaps()[i];
        for (int r = 0; r < rows.length; r++) {
          in.addRowTo(r, out, rows[r], 0, 1.0);
        }
      }
      return new Result(SparseTensor.fromOp(first.manager(), u.key(), out.toINDArray()), u.rowMaps());
    }
  }

  /** Gradients for each input: the output gradient read at each input's rows. */
  public static List<INDArray> backward(Result result, INDArray gradOut) {
    try (HostWorkspace ws = new HostWorkspace(result.output().manager().memory())) {
      HostMatrix g = ws.copyOf(gradOut);
      List<INDArray> grads = new ArrayList<>();
      for (int[] rows : result.rowMaps()) {
        HostMatrix gi = ws.output(gradOut.dataType(), rows.length, g.cols());
        for (int r = 0; r < rows.length; r++) {
          g.copyRowTo(rows[r], gi, r, 0);
        }
        grads.add(gi.toINDArray());
      }
      return grads;
    }
  }
}
