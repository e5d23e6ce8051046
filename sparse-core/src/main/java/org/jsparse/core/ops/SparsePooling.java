package org.jsparse.core.ops;

import org.jsparse.core.backend.Buffer;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.KernelMapKey;
import org.jsparse.core.kmap.MapKind;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max, average and sum pooling over a kernel region with a stride; the output map is the strided
 * map of the input (as for a strided convolution). Deterministic: offsets are visited in kernel
 * order and ties in max pooling keep the earlier offset.
 */
public final class SparsePooling {
  private SparsePooling() {}

  /**
   * A pooling result: the output and what the backward pass needs.
   *
   * @param output pooled tensor
   * @param plan maps and kernel map used
   * @param mode the reduction
   * @param argmax for MAX: per output element the input row that won; else null
   * @param counts for AVERAGE: inputs per output row; else null
   */
  public record Result(SparseTensor output, OpPlan plan, PoolingMode mode, int[] argmax, int[] counts) {
    /** A copy of the winners (the op's backward reads its own); null unless MAX. */
    @Override
    public int[] argmax() {
      return argmax == null ? null : argmax.clone();
    }

    /** A copy of the counts; null unless AVERAGE. */
    @Override
    public int[] counts() {
      return counts == null ? null : counts.clone();
    }

    /** Bytes this result keeps for the backward pass (the winners or counts). */
    public long savedBytes() {
      return 4L * ((argmax == null ? 0 : argmax.length) + (counts == null ? 0 : counts.length));
    }
  }

  /** Pools {@code x} over {@code region} with {@code stride}. */
  public static Result forward(SparseTensor x, KernelRegion region, int[] stride, PoolingMode mode) {
    SparseConvolution.requireNonEmpty(x, "pooling");
    CoordinateManager cm = x.manager();
    if (region.dimension() != cm.dimension()) {
      throw new IllegalArgumentException(
          "pooling region has D=" + region.dimension() + " but the tensor has D=" + cm.dimension());
    }
    CoordinateMapKey out = cm.stride(x.key(), stride);
    KernelMapKey key = new KernelMapKey(x.key(), out, region, TensorStride.of(stride), MapKind.POOLING);
    KernelMap map = cm.kernelMap(key);
    OpPlan plan = new OpPlan(cm, key, map);
    Buffer y = OnBackend.features(cm, "pooling", x.dataType(), map.outRows(), x.channels());
    int[] argmax = null;
    int[] counts = null;
    if (mode == PoolingMode.MAX) {
      argmax = new int[map.outRows() * x.channels()];
      cm.backend().poolMax(x.buffer(), map, y, argmax);
    } else {
      if (mode == PoolingMode.AVERAGE) {
        counts = new int[map.outRows()];
        KernelMap full = map.expanded(cm.memory());
        try {
          for (int p = 0; p < full.pairCount(); p++) {
            counts[full.outRow(p)]++;
          }
        } finally {
          if (full != map) {
            full.close();
          }
        }
      }
      cm.backend().poolSum(x.buffer(), map, counts, y);
    }
    return new Result(SparseTensor.fromOp(cm, out, y), plan, mode, argmax, counts);
  }

  /** Gradient with respect to the input features, {@code [inRows, C]}. */
  public static INDArray backward(Result result, INDArray gradOut) {
    KernelMap map = result.plan().kernelMap();
    int c = result.output().channels();
    if (gradOut.rank() != 2 || gradOut.size(0) != map.outRows() || gradOut.size(1) != c) {
      throw new IllegalArgumentException(
          "pooling gradient must be [" + map.outRows() + ", " + c + "], got " + java.util.Arrays.toString(gradOut.shape()));
    }
    CoordinateManager cm = result.plan().manager();
    try (Buffer g = OnBackend.borrow(cm, gradOut, map.outRows())) {
      return OnBackend.handOut(cm, backward(result, g));
    }
  }

  /** {@link #backward(Result, INDArray)} on the manager's backend's buffers; the result is the caller's to close. */
  public static Buffer backward(Result result, Buffer gradOut) {
    KernelMap map = result.plan().kernelMap();
    int c = result.output().channels();
    if (gradOut.rows() != map.outRows() || gradOut.cols() != c) {
      throw new IllegalArgumentException("pooling gradient must be [" + map.outRows() + ", " + c + "], got ["
          + gradOut.rows() + ", " + gradOut.cols() + "]");
    }
    CoordinateManager cm = result.plan().manager();
    Buffer gin = OnBackend.gradient(cm, gradOut.dataType(), map.inRows(), c);
    if (result.mode() == PoolingMode.MAX) {
      cm.backend().poolMaxBackward(gradOut, result.argmax, gin);
    } else {
      cm.backend().poolSumBackward(gradOut, map, result.counts, gin);
    }
    return gin;
  }
}
