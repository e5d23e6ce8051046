package org.jsparse.core.ops;

import java.util.Arrays;
import org.jsparse.core.backend.cpu.HostMatrix;
import org.jsparse.core.backend.cpu.HostWorkspace;
import org.jsparse.core.coords.Coordinates;
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
  public record Result(INDArray pooled, PoolingMode mode, int[] argmax, int[] counts) {}

  /** Number of batch rows B for a tensor: largest batch index + 1. */
  public static int batchCount(SparseTensor x) {
    Coordinates c = x.coordinates();
    int b = 0;
    for (int r = 0; r < c.size(); r++) {
      b = Math.max(b, c.batch(r) + 1);
    }
    return b;
  }

  /** Reduces every batch item's sites to one row. */
  public static Result forward(SparseTensor x, PoolingMode mode) {
    if (x.size() == 0) {
      throw new IllegalArgumentException("global pooling of an empty tensor: there is no site to pool");
    }
    Coordinates coords = x.coordinates();
    int batches = batchCount(x);
    int c = x.channels();
    try (HostWorkspace ws = new HostWorkspace(x.manager().memory())) {
      HostMatrix in = ws.copyOf(x.features());
      HostMatrix out = ws.output(x.dataType(), batches, c);
      int[] counts = new int[batches];
      int[] argmax = null;
      if (mode == PoolingMode.MAX) {
        argmax = new int[batches * c];
        Arrays.fill(argmax, -1);
      }
      for (int r = 0; r < x.size(); r++) {
        int b = coords.batch(r);
        counts[b]++;
        if (mode == PoolingMode.MAX) {
          in.maxRowTo(r, out, b, argmax);
        } else {
          in.addRowTo(r, out, b, 0, 1.0);
        }
      }
      if (mode == PoolingMode.AVERAGE) {
        for (int b = 0; b < batches; b++) {
          if (counts[b] > 0) {
            out.scaleRow(b, 1.0 / counts[b]);
          }
        }
      }
      return new Result(out.toINDArray(), mode, argmax, counts);
    }
  }

  /** Gradient with respect to the input features, {@code [N, C]}. */
  public static INDArray backward(SparseTensor x, Result result, INDArray gradPooled) {
    Coordinates coords = x.coordinates();
    try (HostWorkspace ws = new HostWorkspace(x.manager().memory())) {
      HostMatrix g = ws.copyOf(gradPooled);
      int c = x.channels();
      HostMatrix gin = ws.output(gradPooled.dataType(), x.size(), c);
      if (result.mode() == PoolingMode.MAX) {
        for (int b = 0; b < g.rows(); b++) {
          for (int ch = 0; ch < c; ch++) {
            int src = result.argmax()[b * c + ch];
            if (src >= 0) {
              gin.set(src, ch, g.get(b, ch));
            }
          }
        }
      } else {
        for (int r = 0; r < x.size(); r++) {
          int b = coords.batch(r);
          double scale = result.mode() == PoolingMode.AVERAGE ? 1.0 / result.counts()[b] : 1.0;
          g.addRowTo(b, gin, r, 0, scale);
        }
      }
      return gin.toINDArray();
    }
  }

  /**
   * Sends per-batch vectors {@code [B, C]} to every site: row r gets {@code perBatch[batch(r)]}.
   * The backward pass is {@link #forward} with SUM.
   */
  public static SparseTensor broadcast(SparseTensor x, INDArray perBatch) {
    Coordinates coords = x.coordinates();
    int need = batchCount(x);
    if (perBatch.rank() != 2 || perBatch.size(0) < need) {
      throw new IllegalArgumentException(
          "per-batch matrix must be [B >= " + need + ", C], got " + Arrays.toString(perBatch.shape()));
    }
    try (HostWorkspace ws = new HostWorkspace(x.manager().memory())) {
      HostMatrix v = ws.copyOf(perBatch);
      HostMatrix out = ws.output(perBatch.dataType(), x.size(), v.cols());
      for (int r = 0; r < x.size(); r++) {
        v.copyRowTo(coords.batch(r), out, r, 0);
      }
      return SparseTensor.fromOp(x.manager(), x.key(), out.toINDArray());
    }
  }
}
