package org.jsparse.core.ops;

import java.util.Arrays;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pooling of all sites of each batch item into one vector: a dense {@code [B, C]} matrix where
 * row b belongs to batch index b (B = largest batch index + 1; a batch index with no site gets
 * zeros). {@link #broadcast} is its counterpart: per-batch vectors sent back to every site.
 */
public final class GlobalPooling {
  private GlobalPooling() {}

  /**
   * A global pooling result.
   *
   * @param pooled {@code [B, C]}
   * @param mode the reduction
   * @param argmax for MAX: per element the winning input row (-1 for an empty batch item); else null
   * @param counts sites per batch item
   */
  public record Result(INDArray pooled, PoolingMode mode, int[] argmax, int[] counts) {
    /** A copy of the winners (the op's backward reads its own); null unless MAX. */
    @Override
    public int[] argmax() {
      return argmax == null ? null : argmax.clone();
    }

    /** A copy of the rows per batch item; null unless AVERAGE. */
    @Override
    public int[] counts() {
      return counts == null ? null : counts.clone();
    }
  }

  /** Number of batch rows B for a tensor: largest batch index + 1. */
  public static int batchCount(SparseTensor x) {
    return x.manager().batchCount(x.key());
  }

  /** Reduces every batch item's sites to one row. */
  public static Result forward(SparseTensor x, PoolingMode mode) {
    if (x.size() == 0) {
      throw new IllegalArgumentException("global pooling of an empty tensor: there is no site to pool");
    }
    CoordinateManager cm = x.manager();
    int batches = batchCount(x);
    int c = x.channels();
    int[] batchOfRow = batchOfRow(x);
    int[] counts = new int[batches];
    for (int b : batchOfRow) {
      counts[b]++;
    }
    Buffer out = OnBackend.gradient(cm, x.dataType(), batches, c);
    int[] argmax = null;
    try (KernelMap toBatch = toBatch(batchOfRow, batches)) {
      if (mode == PoolingMode.MAX) {
        argmax = new int[batches * c];
        cm.backend().poolMax(x.buffer(), toBatch, out, argmax);
      } else {
        cm.backend().poolSum(x.buffer(), toBatch, mode == PoolingMode.AVERAGE ? counts : null, out);
      }
    }
    return new Result(OnBackend.array(cm, out), mode, argmax, counts);
  }

  /** The batch index of every row. */
  private static int[] batchOfRow(SparseTensor x) {
    return x.manager().batchIndices(x.key());
  }

  /** One offset pairing every row with its batch row; the caller closes it. */
  private static KernelMap toBatch(int[] batchOfRow, int batches) {
    int[] rows = new int[batchOfRow.length];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = r;
    }
    return new KernelMap(new int[] {0, rows.length}, rows, batchOfRow, rows.length, batches);
  }

  /** Gradient with respect to the input features, {@code [N, C]}. */
  public static INDArray backward(SparseTensor x, Result result, INDArray gradPooled) {
    return OnBackend.array(x.manager(), backwardBuffer(x, result, gradPooled));
  }

  /**
   * {@link #backward} as a new uncounted buffer of the input's backend, which the caller takes
   * over: on a device the site-sized gradient stays there (only {@code [B, C]} goes up).
   */
  public static Buffer backwardBuffer(SparseTensor x, Result result, INDArray gradPooled) {
    CoordinateManager cm = x.manager();
    int c = x.channels();
    Buffer gin = OnBackend.gradient(cm, gradPooled.dataType(), x.size(), c);
    try (Buffer g = OnBackend.borrow(cm, gradPooled, gradPooled.size(0))) { // a device's copy (nothing on the CPU)
      if (result.mode() == PoolingMode.MAX) {
        cm.backend().poolMaxBackward(g, result.argmax, gin);
      } else {
        try (KernelMap toBatch = toBatch(batchOfRow(x), (int) gradPooled.size(0))) {
          cm.backend().poolSumBackward(g, toBatch, result.mode() == PoolingMode.AVERAGE ? result.counts : null, gin);
        }
      }
    }
    return gin;
  }

  /**
   * Sends per-batch vectors {@code [B, C]} to every site: row r gets {@code perBatch[batch(r)]}.
   * The backward pass is {@link #forward} with SUM.
   */
  public static SparseTensor broadcast(SparseTensor x, INDArray perBatch) {
    int need = batchCount(x);
    if (perBatch.rank() != 2 || perBatch.size(0) < need) {
      throw new IllegalArgumentException(
          "per-batch matrix must be [B >= " + need + ", C], got " + Arrays.toString(perBatch.shape()));
    }
    CoordinateManager cm = x.manager();
    Buffer out = OnBackend.features(cm, "broadcast", perBatch.dataType(), x.size(), perBatch.size(1));
    try (Buffer v = OnBackend.borrow(cm, perBatch, perBatch.size(0))) {
      cm.backend().gatherRows(v, batchOfRow(x), out);
    }
    return SparseTensor.fromOp(cm, x.key(), out);
  }
}
