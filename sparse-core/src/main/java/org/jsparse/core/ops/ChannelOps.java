package org.jsparse.core.ops;

import java.util.ArrayList;
import java.util.List;
import org.jsparse.core.backend.cpu.HostMatrix;
import org.jsparse.core.backend.cpu.HostWorkspace;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Ops on tensors that share one coordinate map: channel concatenation (U-Net skips) and addition
 * (residual blocks). Tensors on different maps must be aligned first (union, or the alignment map
 * of the manager).
 */
public final class ChannelOps {
  private ChannelOps() {}

  /** Concatenates channels in order: {@code [N, C1 + C2 + ...]}. */
  public static SparseTensor concat(List<SparseTensor> inputs) {
    SparseTensor first = requireSameMap(inputs, "concat");
    int total = 0;
    for (SparseTensor t : inputs) {
      if (t.dataType() != first.dataType()) {
        throw new IllegalArgumentException("concat: mixed data types " + first.dataType() + " and " + t.dataType());
      }
      total += t.channels();
    }
    try (HostWorkspace ws = new HostWorkspace(first.manager().memory())) {
      HostMatrix out = ws.output(first.dataType(), first.size(), total);
      int offset = 0;
      for (SparseTensor t : inputs) {
        HostMatrix m = ws.copyOf(t.features());
        for (int r = 0; r < first.size(); r++) {
          m.copyRowTo(r, out, r, offset);
        }
        offset += t.channels();
      }
      return SparseTensor.fromOp(first.manager(), first.key(), out.toINDArray());
    }
  }

  /** Splits the gradient of {@code concatenated} back into the inputs' channel blocks. */
  public static List<INDArray> concatBackward(SparseTensor concatenated, int[] channels, INDArray gradOut) {
    try (HostWorkspace ws = new HostWorkspace(concatenated.manager().memory())) {
      HostMatrix g = ws.copyOf(gradOut);
      List<INDArray> grads = new ArrayList<>();
      int offset = 0;
      for (int c : channels) {
        HostMatrix gi = ws.output(gradOut.dataType(), g.rows(), c);
        for (int r = 0; r < g.rows(); r++) {
          g.copyColumnsTo(r, offset, gi, r);
        }
        grads.add(gi.toINDArray());
        offset += c;
      }
      if (offset != g.cols()) {
        throw new IllegalArgumentException("channel blocks sum to " + offset + " but the gradient has " + g.cols());
      }
      return grads;
    }
  }

  /** Element-wise sum of tensors on one map; its backward passes the gradient to every input unchanged. */
  public static SparseTensor add(SparseTensor a, SparseTensor b) {
    requireSameMap(List.of(a, b), "add");
    requireSameChannelsAndType(a, b, "add");
    return SparseTensor.fromOp(a.manager(), a.key(), a.features().add(b.features()));
  }

  static SparseTensor requireSameMap(List<SparseTensor> inputs, String op) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException(op + " needs at least one tensor");
    }
    SparseTensor first = inputs.get(0);
    for (SparseTensor t : inputs) {
      first.requireSameManager(t, op);
      if (!t.key().equals(first.key())) {
        throw new IllegalArgumentException(
            op + ": tensors lie on different coordinate maps (" + first.key() + " and " + t.key()
                + "); use SparseUnion to sum on the union, or align one onto the other's map first");
      }
    }
    return first;
  }

  static void requireSameChannelsAndType(SparseTensor a, SparseTensor b, String op) {
    if (a.channels() != b.channels()) {
      throw new IllegalArgumentException(
          op + ": channel counts differ (" + a.channels() + " and " + b.channels() + ")");
    }
    if (a.dataType() != b.dataType()) {
      throw new IllegalArgumentException(op + ": data types differ (" + a.dataType() + " and " + b.dataType() + ")");
    }
  }
}
