package org.jsparse.core.ops;

import java.util.ArrayList;
import java.util.List;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.kmap.CoordinateManager;
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
    CoordinateManager cm = first.manager();
    Buffer out = OnBackend.features(cm, "concat", first.dataType(), first.size(), total);
    int offset = 0;
    for (SparseTensor t : inputs) {
      cm.backend().copyColumns(t.buffer(), 0, out, offset, t.channels());
      offset += t.channels();
    }
    return SparseTensor.fromOp(cm, first.key(), out);
  }

  /** Splits the gradient of {@code concatenated} back into the inputs' channel blocks. */
  public static List<INDArray> concatBackward(SparseTensor concatenated, int[] channels, INDArray gradOut) {
    CoordinateManager cm = concatenated.manager();
    List<INDArray> grads = new ArrayList<>();
    try (Buffer g = OnBackend.borrow(cm, gradOut, gradOut.size(0))) {
      for (Buffer b : concatBackward(concatenated, channels, g)) {
        grads.add(OnBackend.handOut(cm, b));
      }
    }
    return grads;
  }

  /** {@link #concatBackward(SparseTensor, int[], INDArray)} on the manager's backend's buffers; the results are the caller's. */
  public static List<Buffer> concatBackward(SparseTensor concatenated, int[] channels, Buffer gradOut) {
    int sum = 0;
    for (int c : channels) {
      sum += c;
    }
    if (sum != gradOut.cols()) {
      throw new IllegalArgumentException("channel blocks sum to " + sum + " but the gradient has " + gradOut.cols());
    }
    CoordinateManager cm = concatenated.manager();
    List<Buffer> grads = new ArrayList<>();
    int offset = 0;
    for (int c : channels) {
      Buffer gi = OnBackend.gradient(cm, gradOut.dataType(), gradOut.rows(), c);
      cm.backend().copyColumns(gradOut, offset, gi, 0, c);
      grads.add(gi);
      offset += c;
    }
    return grads;
  }

  /** Element-wise sum of tensors on one map; its backward passes the gradient to every input unchanged. */
  public static SparseTensor add(SparseTensor a, SparseTensor b) {
    requireSameMap(List.of(a, b), "add");
    requireSameChannelsAndType(a, b, "add");
    CoordinateManager cm = a.manager();
    Buffer out = OnBackend.features(cm, "add", a.dataType(), a.size(), a.channels());
    cm.backend().add(a.buffer(), b.buffer(), 1.0, out);
    return SparseTensor.fromOp(cm, a.key(), out);
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
