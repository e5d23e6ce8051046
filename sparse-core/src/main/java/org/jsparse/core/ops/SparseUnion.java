package org.jsparse.core.ops;

import java.util.ArrayList;
import java.util.List;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.kmap.CoordinateManager;
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
   * @param rowMaps {@code rowMaps[i][r]}: output row of row r of input i; {@code rowMaps[0]} is null
   *     when the output is on the first input's map (it held every other input's coordinates)
   */
  public record Result(SparseTensor output, int[][] rowMaps) {
    /** A copy of the row maps (the op's backward reads its own). */
    @Override
    public int[][] rowMaps() {
      int[][] copy = rowMaps.clone();
      for (int i = 0; i < copy.length; i++) {
        copy[i] = copy[i] == null ? null : copy[i].clone();
      }
      return copy;
    }
  }

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
    CoordinateManager cm = first.manager();
    Buffer out = OnBackend.features(cm, "union", first.dataType(), cm.size(u.key()), first.channels());
    for (int i = 0; i < inputs.size(); i++) {
      if (u.rowMaps()[i] == null) {
        cm.backend().copyColumns(inputs.get(i).buffer(), 0, out, 0, first.channels());
      } else {
        cm.backend().scatterAddRows(inputs.get(i).buffer(), u.rowMaps()[i], out, 1.0);
      }
    }
    return new Result(SparseTensor.fromOp(cm, u.key(), out), u.rowMaps());
  }

  /**
   * Gradients for each input: the output gradient read at each input's rows. An input whose map
   * is the output's gets {@code gradOut} itself (no copy).
   */
  public static List<Buffer> backward(Result result, Buffer gradOut) {
    CoordinateManager cm = result.output().manager();
    List<Buffer> grads = new ArrayList<>();
    for (int[] rows : result.rowMaps) {
      if (rows == null) {
        grads.add(gradOut);
        continue;
      }
      Buffer gi = OnBackend.gradient(cm, gradOut.dataType(), rows.length, gradOut.cols());
      cm.backend().gatherRows(gradOut, rows, gi);
      grads.add(gi);
    }
    return grads;
  }

  /** As {@link #backward(Result, Buffer)} on host arrays. */
  public static List<INDArray> backward(Result result, INDArray gradOut) {
    CoordinateManager cm = result.output().manager();
    List<INDArray> grads = new ArrayList<>();
    try (Buffer g = OnBackend.borrow(cm, gradOut, result.output().size())) {
      for (Buffer b : backward(result, g)) {
        grads.add(b == g ? gradOut : OnBackend.handOut(cm, b));
      }
    }
    return grads;
  }
}
