package org.jsparse.core.backend.cpu;

import org.jsparse.core.backend.AdamStep;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.backend.PointwiseFunction;
import org.jsparse.core.backend.SgdStep;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.core.internal.NativeInts;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CPU backend: buffers are ND4J arrays in native memory, freed the moment they are closed;
 * the convolutions are tiled gather-GEMM-scatter on the OpenBLAS that ND4J ships
 * ({@link CpuConvolution}); the other kernels are loops over the buffers in place
 * ({@link HostMatrix}, {@link CpuKernels}). Deterministic for any thread count.
 */
final class CpuBackend implements Backend {
  @Override
  public String device() {
    return "cpu";
  }

  static CpuBuffer cpu(Buffer b) {
    if (!(b instanceof CpuBuffer c)) {
      throw new IllegalArgumentException("a " + b.backend().device() + " buffer was passed to the CPU backend; "
          + "tensors of one op must live on one backend (one CoordinateManager)");
    }
    return c;
  }

  static HostMatrix m(Buffer b) {
    return cpu(b).matrix();
  }

  @Override
  public Buffer zeros(MemoryLedger ledger, MemoryCategory category, String op, DataType type, long rows, long cols) {
    if (type != DataType.FLOAT && type != DataType.DOUBLE) {
      throw new IllegalArgumentException("buffers are FLOAT or DOUBLE, got " + type);
    }
    INDArray a = Nd4j.zeros(type, rows, cols);
    return new CpuBuffer(this, a, rows, cols, ledger == null ? null : ledger.acquire(category, a.length() * type.width(), op),
        true);
  }

  @Override
  public Buffer upload(MemoryLedger ledger, MemoryCategory category, String op, Object values, long rows, long cols) {
    INDArray a;
    if (values instanceof float[] f && f.length == rows * cols) {
      a = Nd4j.create(f, new long[] {rows, cols}, 'c');
    } else if (values instanceof double[] d && d.length == rows * cols) {
      a = Nd4j.create(d, new long[] {rows, cols}, 'c');
    } else {
      throw new IllegalArgumentException("upload takes a float[] or double[] of rows x cols = " + rows * cols
          + " values, got " + (values == null ? "null" : values.getClass().getSimpleName()));
    }
    return new CpuBuffer(this, a, rows, cols,
        ledger == null ? null : ledger.acquire(category, a.length() * a.dataType().width(), op), true);
  }

  @Override
  public Object download(Buffer buffer) {
    INDArray a = cpu(buffer).array();
    m(buffer); // fails clearly when the buffer was freed
    return a.dataType() == DataType.FLOAT ? a.data().asFloat() : a.data().asDouble();
  }

  @Override
  public Buffer borrow(INDArray array, long rows) {
    if (array.dataType() != DataType.FLOAT && array.dataType() != DataType.DOUBLE) {
      throw new IllegalArgumentException(
          "arrays must be FLOAT or DOUBLE, got " + array.dataType() + "; cast with castTo(DataType.FLOAT)");
    }
    long cols = rows == 0 ? (array.rank() >= 2 ? array.size(array.rank() - 1) : 0) : array.length() / rows;
    if (rows * cols != array.length()) {
      throw new IllegalArgumentException("an array of " + array.length() + " elements is not " + rows + " rows");
    }
    INDArray dense = HostMatrix.isDense(array) ? array : array.dup('c');
    return new CpuBuffer(this, dense, rows, cols, null, false);
  }

  @Override
  public boolean sharesHostMemory() {
    return true;
  }

  @Override
  public INDArray toINDArray(Buffer buffer, long... shape) {
    INDArray a = cpu(buffer).array();
    return java.util.Arrays.equals(a.shape(), shape) ? a : a.reshape('c', shape);
  }

  @Override
  public void trim() {
    org.jsparse.core.internal.NativeTrim.now();
  }

  @Override
  public void convolutionForward(Buffer in, Buffer weight, KernelMap map, Buffer out, MemoryLedger ledger) {
    MapPasses.run(map, ledger, (sorted, from, to) -> CpuConvolution.forward(m(in), m(weight), sorted, from, to, m(out), ledger));
  }

  @Override
  public void convolutionBackwardInput(Buffer gradOut, Buffer weight, KernelMap map, Buffer gradIn, MemoryLedger ledger) {
    if (!map.isCompact()) {
      CpuConvolution.backwardInput(m(gradOut), m(weight), map, m(gradIn), ledger);
      return;
    }
    MapPasses.run(map, ledger, (sorted, from, to) ->
        CpuConvolution.backwardInputMirrored(m(gradOut), m(weight), sorted, from, to, m(gradIn), ledger));
  }

  @Override
  public void convolutionBackwardWeight(Buffer in, Buffer gradOut, KernelMap map, Buffer gradWeight,
      MemoryLedger ledger) {
    if (!map.isCompact()) {
      CpuConvolution.backwardWeight(m(in), m(gradOut), map, m(gradWeight), ledger);
      return;
    }
    if (map.isStreamed() || CpuConvolution.prefersImplicitGemm(map)) {
      // the implicit GEMM reads the output gradient in place, so passes over expanded parts beat mirroring
      MapPasses.run(map, ledger, (part, from, to) ->
          CpuConvolution.backwardWeight(m(in), m(gradOut), part, from, to, false, m(gradWeight), ledger));
      return;
    }
    // the stored offsets as they are, the other half as the stored offsets' mirror images: no expansion
    int stored = map.storedOffsets();
    CpuConvolution.backwardWeight(m(in), m(gradOut), map, 0, stored, false, m(gradWeight), ledger);
    if (stored < map.volume()) {
      CpuConvolution.backwardWeight(m(in), m(gradOut), map, 0, map.volume() - stored, true, m(gradWeight), ledger);
    }
  }

  @Override
  public void channelwiseForward(Buffer in, Buffer weight, KernelMap map, Buffer out, MemoryLedger ledger) {
    MapPasses.onExpanded(map, ledger, full -> ChannelwiseKernels.forward(m(in), m(weight), full, m(out)));
  }

  @Override
  public void channelwiseBackwardInput(Buffer gradOut, Buffer weight, KernelMap map, Buffer gradIn, MemoryLedger ledger) {
    MapPasses.onExpanded(map, ledger, full -> ChannelwiseKernels.backwardInput(m(gradOut), m(weight), full, m(gradIn)));
  }

  @Override
  public void channelwiseBackwardWeight(Buffer in, Buffer gradOut, KernelMap map, Buffer gradWeight,
      MemoryLedger ledger) {
    MapPasses.onExpanded(map, ledger, full -> ChannelwiseKernels.backwardWeight(m(in), m(gradOut), full, m(gradWeight)));
  }

  @Override
  public void gatherRows(Buffer src, int[] rows, Buffer dst) {
    HostMatrix s = m(src);
    HostMatrix d = m(dst);
    for (int r = 0; r < rows.length; r++) {
      s.copyRowTo(rows[r], d, r, 0);
    }
  }

  @Override
  public void scatterAddRows(Buffer src, int[] rows, Buffer dst, double scale) {
    HostMatrix s = m(src);
    HostMatrix d = m(dst);
    for (int r = 0; r < rows.length; r++) {
      s.addRowTo(r, d, rows[r], 0, scale);
    }
  }

  @Override
  public void copyColumns(Buffer src, int srcColumn, Buffer dst, int dstColumn, int width) {
    CpuKernels.copyColumns(m(src), srcColumn, m(dst), dstColumn, width);
  }

  @Override
  public void poolMax(Buffer in, KernelMap compactOrFull, Buffer out, int[] argmax) {
    MapPasses.onExpanded(compactOrFull, null, full -> poolMaxFull(in, full, out, argmax));
  }

  private void poolMaxFull(Buffer in, KernelMap map, Buffer out, int[] argmax) {
    HostMatrix x = m(in);
    HostMatrix y = m(out);
    java.util.Arrays.fill(argmax, -1);
    map.checkOpen();
    for (int k = 0; k < map.volume(); k++) {
      NativeInts ins = map.insOf(k);
      NativeInts outs = map.outsOf(k);
      for (int p = map.start(k); p < map.end(k); p++) {
        x.maxRowTo(ins.get(p), y, outs.get(p), argmax);
      }
    }
  }

  @Override
  public void poolMaxBackward(Buffer gradOut, int[] argmax, Buffer gradIn) {
    HostMatrix g = m(gradOut);
    HostMatrix gin = m(gradIn);
    int c = g.cols();
    for (int o = 0; o < g.rows(); o++) {
      for (int ch = 0; ch < c; ch++) {
        int src = argmax[o * c + ch];
        if (src >= 0) {
          gin.set(src, ch, gin.get(src, ch) + g.get(o, ch));
        }
      }
    }
  }

  @Override
  public void poolSum(Buffer in, KernelMap compactOrFull, int[] counts, Buffer out) {
    MapPasses.onExpanded(compactOrFull, null, full -> poolSumFull(in, full, counts, out));
  }

  private void poolSumFull(Buffer in, KernelMap map, int[] counts, Buffer out) {
    sumOverPairs(m(in), map, counts, m(out), true);
  }

  /** Forward: {@code dst[o] += w(o) src[i]}; backward: {@code dst[i] += w(o) src[o]}, over every pair (i, o). */
  private static void sumOverPairs(HostMatrix src, KernelMap map, int[] counts, HostMatrix dst, boolean forward) {
    map.checkOpen();
    for (int k = 0; k < map.volume(); k++) {
      NativeInts ins = map.insOf(k);
      NativeInts outs = map.outsOf(k);
      for (int p = map.start(k); p < map.end(k); p++) {
        int o = outs.get(p);
        double w = counts == null ? 1.0 : 1.0 / counts[o];
        if (forward) {
          src.addRowTo(ins.get(p), dst, o, 0, w);
        } else {
          src.addRowTo(o, dst, ins.get(p), 0, w);
        }
      }
    }
  }

  @Override
  public void poolSumBackward(Buffer gradOut, KernelMap compactOrFull, int[] counts, Buffer gradIn) {
    MapPasses.onExpanded(compactOrFull, null, full -> poolSumBackwardFull(gradOut, full, counts, gradIn));
  }

  private void poolSumBackwardFull(Buffer gradOut, KernelMap map, int[] counts, Buffer gradIn) {
    sumOverPairs(m(gradOut), map, counts, m(gradIn), false);
  }

  @Override
  public void pointwise(PointwiseFunction f, Buffer x, Buffer y) {
    CpuKernels.pointwise(f, m(x), m(y));
  }

  @Override
  public void pointwiseBackward(PointwiseFunction f, Buffer gradOut, Buffer value, boolean atOutput, Buffer gradIn) {
    CpuKernels.pointwiseBackward(f, m(gradOut), m(value), atOutput, m(gradIn));
  }

  @Override
  public void add(Buffer a, Buffer b, double beta, Buffer out) {
    CpuKernels.add(m(a), m(b), beta, m(out));
  }

  @Override
  public void dropout(Buffer x, long seed, double p, Buffer out) {
    CpuKernels.dropout(m(x), seed, p, m(out));
  }

  @Override
  public void multiply(Buffer a, Buffer b, Buffer out) {
    CpuKernels.multiply(m(a), m(b), m(out));
  }

  @Override
  public void scale(Buffer a, double s, Buffer out) {
    CpuKernels.scale(m(a), s, m(out));
  }

  @Override
  public void adamStep(Buffer param, Buffer grad, Buffer expAvg, Buffer expAvgSq, Buffer maxExpAvgSq, AdamStep step) {
    OptimizerKernels.adam(m(param), m(grad), m(expAvg), m(expAvgSq), maxExpAvgSq == null ? null : m(maxExpAvgSq), step);
  }

  @Override
  public void sgdStep(Buffer param, Buffer grad, Buffer momentumBuffer, SgdStep step) {
    OptimizerKernels.sgd(m(param), m(grad), momentumBuffer == null ? null : m(momentumBuffer), step);
  }

  @Override
  public void addRowVector(Buffer v, Buffer out) {
    CpuKernels.addRowVector(m(v), m(out));
  }

  @Override
  public void gemm(Buffer a, boolean transposeA, Buffer b, boolean transposeB, double beta, Buffer c) {
    long m = transposeA ? a.cols() : a.rows();
    long k = transposeA ? a.rows() : a.cols();
    long kb = transposeB ? b.cols() : b.rows();
    long n = transposeB ? b.rows() : b.cols();
    if (k != kb || c.rows() != m || c.cols() != n || a.dataType() != b.dataType() || a.dataType() != c.dataType()) {
      throw new IllegalArgumentException("gemm shapes or types do not fit: " + a + (transposeA ? "^T" : "") + " x " + b
          + (transposeB ? "^T" : "") + " -> " + c);
    }
    m(a);
    m(b);
    m(c); // checks every buffer is open
    Nd4j.gemm(toINDArray(a, a.rows(), a.cols()), toINDArray(b, b.rows(), b.cols()), toINDArray(c, c.rows(), c.cols()),
        transposeA, transposeB, 1.0, beta);
  }

  @Override
  public void columnSums(Buffer x, double[] sums) {
    CpuKernels.columnSums(m(x), sums);
  }

  @Override
  public boolean[] greaterThan(Buffer x, double threshold) {
    return CpuKernels.greaterThan(m(x), threshold);
  }

  @Override
  public int firstNonFiniteRow(Buffer x) {
    return m(x).firstNonFiniteRow();
  }

  @Override
  public double bceWithLogitsSum(Buffer logits, int[] positives, MemoryLedger ledger) {
    return CpuKernels.bceWithLogitsSum(m(logits), positives);
  }

  @Override
  public void bceWithLogitsBackward(Buffer logits, int[] positives, double scale, Buffer gradIn, MemoryLedger ledger) {
    CpuKernels.bceWithLogitsBackward(m(logits), positives, scale, m(gradIn));
  }

  @Override
  public void groupMoments(Buffer x, int[] group, int groups, double[] mean, double[] variance, int[] count) {
    CpuKernels.groupMoments(m(x), group, groups, mean, variance, count);
  }

  @Override
  public void normalize(Buffer x, int[] group, double[] mean, double[] invStd, double[] gamma, double[] beta, Buffer y) {
    CpuKernels.normalize(m(x), group, mean, invStd, gamma, beta, m(y));
  }

  @Override
  public void normalizeBackward(Buffer gradOut, Buffer x, int[] group, int groups, double[] mean, double[] invStd,
      double[] gamma, int[] count, Buffer gradIn, double[] dGamma, double[] dBeta) {
    CpuKernels.normalizeBackward(m(gradOut), m(x), group, groups, mean, invStd, gamma, count, m(gradIn), dGamma, dBeta);
  }

  @Override
  public void close() {
    // nothing cached
  }

  @Override
  public String toString() {
    return "CpuBackend";
  }
}
