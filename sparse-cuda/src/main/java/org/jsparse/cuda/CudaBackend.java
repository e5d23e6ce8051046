package org.jsparse.cuda;

import static org.jsparse.cuda.Launcher.NULL;

import org.jsparse.core.backend.AdamStep;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.backend.DropoutMask;
import org.jsparse.core.backend.PointwiseFunction;
import org.jsparse.core.backend.SgdStep;
import org.jsparse.core.backend.DeviceKernelMaps;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.cuda.DeviceMemory.DeviceArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backend seam on one NVIDIA GPU, through the JCuda driver API and the kernels of
 * {@code src/main/cuda}. Convolutions run as a fused implicit GEMM over all offsets of a kernel map
 * or one offset at a time (gather, product and scatter in one kernel, {@code gemm_pairs}), as
 * {@link ConvolutionPath} decides; reductions (weight gradients, column sums,
 * normalization statistics) are fixed-block two-pass sums, and scatter-adds ({@link #scatterAddRows},
 * {@link #poolMaxBackward}) are segmented sums grouped on the host: no kernel adds with atomics, so
 * results are deterministic run to run.
 *
 * <p>Kernel maps between packed coordinates are built on the device ({@link #kernelMaps()}); others
 * are built on the host and copied to the device once. Either way the device pairs are kept with
 * the map (counted as KERNEL_MAPS) until it is closed; small index arrays (rows,
 * groups, arg-max winners) are copied per op. Methods are synchronized: one backend runs one op at a
 * time, from any thread (the device's context is made current on entry).
 */
final class CudaBackend implements Backend {
  /** Blocks of every two-pass reduction: fixed, so the summation order depends on the input only. */
  static final int REDUCTION_BLOCKS = 128;

  private final CudaDevice device;
  private final DeviceAllocator allocator;
  private final DeviceMemory memory;
  private final Launcher launcher = new Launcher();
  private final MapOps mapOps;
  private final LossKernels losses;
  private final DeviceKernelMapBuilder mapBuilder;
  private boolean closed;
  private ConvolutionPath convolutionPath = ConvolutionPath.fromSystemProperty();

  CudaBackend(int index) {
    this.device = CudaDevice.open(index);
    device.makeCurrent();
    this.allocator = new DeviceAllocator(device);
    this.memory = new DeviceMemory(this, allocator);
    this.mapOps = new MapOps(launcher, memory);
    this.losses = new LossKernels(launcher, memory);
    this.mapBuilder = new DeviceKernelMapBuilder(this, launcher, memory);
  }

  /** Kernel maps between packed coordinates are built on this device (coords.cu). */
  @Override
  public DeviceKernelMaps kernelMaps() {
    return mapBuilder;
  }

  /** How this backend runs convolutions from now on (benchmarks and tests compare the paths). */
  synchronized void convolutionPath(ConvolutionPath path) {
    this.convolutionPath = path;
  }

  /** Runs {@code work} under the backend's lock with its context current. */
  synchronized void locked(Runnable work) {
    enter();
    work.run();
  }

  @Override
  public String device() {
    return "cuda:" + device.index + " (" + device.name + ")";
  }

  /** Bytes this backend's allocator holds in live buffers, and in blocks cached for reuse. */
  synchronized long[] allocatorBytes() {
    return new long[] {allocator.inUseBytes(), allocator.cachedBytes()};
  }

  /** Makes this backend's context current; refuses after close. Callers hold the backend's lock. */
  void enter() {
    if (closed) {
      throw new IllegalStateException("this CUDA backend was closed");
    }
    device.makeCurrent();
  }

  private CudaBuffer of(Buffer b) {
    if (!(b instanceof CudaBuffer c) || c.backend() != this) {
      throw new IllegalArgumentException("a buffer of " + (b == null ? "null" : b.backend().device())
          + " given to the backend of " + device() + "; tensors of one op must share a CoordinateManager");
    }
    return c;
  }

  /** The CPU backend's rule for elementwise ops: every buffer has {@code a}'s rows, columns and type (a kernel walks a's length). */
  private CudaBuffer sameShape(String op, Buffer a, Buffer... others) {
    CudaBuffer x = of(a);
    for (Buffer b : others) {
      if (b != null) {
        CudaBuffer y = of(b);
        if (y.rows() != x.rows() || y.cols() != x.cols() || y.dataType() != x.dataType()) {
          throw new IllegalArgumentException(op + ": buffers differ: [" + x.rows() + ", " + x.cols() + "] "
              + x.dataType() + " and [" + y.rows() + ", " + y.cols() + "] " + y.dataType());
        }
      }
    }
    return x;
  }

  private static void sameType(CudaBuffer a, CudaBuffer b, String op) {
    if (a.dataType() != b.dataType()) {
      throw new IllegalArgumentException(op + ": " + a.dataType() + " and " + b.dataType() + " buffers");
    }
  }

  // ---- memory -----------------------------------------------------------------------------

  @Override
  public synchronized Buffer zeros(MemoryLedger ledger, MemoryCategory category, String op, DataType type, long rows,
      long cols) {
    enter();
    CudaBuffer b = memory.buffer(ledger, category, op, type, rows, cols);
    memory.zero(b);
    return b;
  }

  @Override
  public synchronized Buffer borrow(INDArray array, long rows) {
    enter();
    DataType type = array.dataType();
    long cols = rows == 0 ? 0 : array.length() / rows;
    Object values = type == DataType.DOUBLE ? array.dup('c').data().asDouble()
        : type == DataType.FLOAT ? array.dup('c').data().asFloat() : null;
    if (values == null) {
      throw new IllegalArgumentException("the CUDA backend takes FLOAT or DOUBLE arrays, got " + type);
    }
    return memory.upload(null, MemoryCategory.WORKSPACE, "borrowed", values, rows, cols);
  }

  @Override
  public synchronized Buffer upload(MemoryLedger ledger, MemoryCategory category, String op, Object values, long rows,
      long cols) {
    enter();
    return memory.upload(ledger, category, op, values, rows, cols);
  }

  @Override
  public synchronized Object download(Buffer buffer) {
    enter();
    return memory.download(of(buffer));
  }

  @Override
  public synchronized INDArray toINDArray(Buffer buffer, long... shape) {
    Object values = download(buffer);
    return values instanceof double[] d ? Nd4j.create(d, shape, 'c') : Nd4j.create((float[]) values, shape, 'c');
  }

  @Override
  public synchronized void trim() {
    if (!closed) {
      enter();
      allocator.releaseCached();
    }
  }

  // ---- convolution and channel-wise convolution (MapOps) ------------------------------------

  @Override
  public synchronized void convolutionForward(Buffer in, Buffer weight, KernelMap map, Buffer out, MemoryLedger ledger) {
    enter();
    CudaBuffer x = of(in);
    sameType(x, of(weight), "convolution");
    sameType(x, of(out), "convolution");
    mapOps.convolution(x, of(weight), map, of(out), true, convolutionPath, ledger);
  }

  @Override
  public synchronized void convolutionBackwardInput(Buffer gradOut, Buffer weight, KernelMap map, Buffer gradIn,
      MemoryLedger ledger) {
    enter();
    mapOps.convolution(of(gradOut), of(weight), map, of(gradIn), false, convolutionPath, ledger);
  }

  @Override
  public synchronized void convolutionBackwardWeight(Buffer in, Buffer gradOut, KernelMap map, Buffer gradWeight,
      MemoryLedger ledger) {
    enter();
    mapOps.convolutionWeightGradient(of(in), of(gradOut), map, of(gradWeight), ledger);
  }

  @Override
  public synchronized void channelwiseForward(Buffer in, Buffer weight, KernelMap map, Buffer out, MemoryLedger ledger) {
    enter();
    mapOps.channelwise(of(in), of(weight), map, of(out), true, ledger);
  }

  @Override
  public synchronized void channelwiseBackwardInput(Buffer gradOut, Buffer weight, KernelMap map, Buffer gradIn,
      MemoryLedger ledger) {
    enter();
    mapOps.channelwise(of(gradOut), of(weight), map, of(gradIn), false, ledger);
  }

  @Override
  public synchronized void channelwiseBackwardWeight(Buffer in, Buffer gradOut, KernelMap map, Buffer gradWeight,
      MemoryLedger ledger) {
    enter();
    mapOps.channelwiseWeightGradient(of(in), of(gradOut), map, of(gradWeight), ledger);
  }

  // ---- rows and columns --------------------------------------------------------------------

  @Override
  public synchronized void gatherRows(Buffer src, int[] rows, Buffer dst) {
    enter();
    CudaBuffer s = of(src);
    CudaBuffer d = of(dst);
    int cols = s.channels();
    try (DeviceArray r = memory.ints(rows, null, "gather")) {
      launcher.gridStride(Kernel.GATHER_ROWS, s.isDouble(), (long) rows.length * cols, (long) rows.length, r.at(0),
          s.pointer(), cols, d.pointer(), d.channels());
    }
  }

  @Override
  public synchronized void scatterAddRows(Buffer src, int[] rows, Buffer dst, double scale) {
    enter();
    CudaBuffer s = of(src);
    CudaBuffer d = of(dst);
    segmentSum(Segments.byTarget(rows, (int) d.rows()), s, s.channels(), d, scale);
  }

  /** {@code dst[targets[k]] += scale * sum of src[sources in segment k]} (rows of {@code cols} values), deterministic. */
  private void segmentSum(Segments seg, CudaBuffer src, int cols, CudaBuffer dst, double scale) {
    if (seg.count() == 0) {
      return;
    }
    try (DeviceArray t = memory.ints(seg.targets(), null, "scatter-add");
        DeviceArray o = memory.ints(seg.offsets(), null, "scatter-add");
        DeviceArray from = memory.ints(seg.sources(), null, "scatter-add")) {
      launcher.gridStride(Kernel.SEGMENT_SUM_ROWS, src.isDouble(), (long) seg.count() * cols, (long) seg.count(), t.at(0),
          o.at(0), from.at(0), src.pointer(), cols, dst.pointer(), scale);
    }
  }

  @Override
  public synchronized void copyColumns(Buffer src, int srcColumn, Buffer dst, int dstColumn, int width) {
    enter();
    CudaBuffer s = of(src);
    CudaBuffer d = of(dst);
    launcher.gridStride(Kernel.COPY_COLUMNS, s.isDouble(), s.rows() * width, s.rows(), s.pointer(), s.channels(), srcColumn,
        d.pointer(), d.channels(), dstColumn, width);
  }

  // ---- pooling (MapOps) ----------------------------------------------------------------------

  @Override
  public synchronized void poolMax(Buffer in, KernelMap map, Buffer out, int[] argmax) {
    enter();
    mapOps.poolMax(of(in), map, of(out), argmax);
  }

  @Override
  public synchronized void poolMaxBackward(Buffer gradOut, int[] argmax, Buffer gradIn) {
    enter();
    CudaBuffer g = of(gradOut);
    CudaBuffer gin = of(gradIn);
    int c = g.channels();
    int[] target = new int[argmax.length]; // element (o, ch) of gradOut adds into element (argmax, ch) of gradIn
    for (int i = 0; i < argmax.length; i++) {
      target[i] = argmax[i] < 0 ? -1 : argmax[i] * c + i % c;
    }
    segmentSum(Segments.byTarget(target, (int) (gin.rows() * c)), g, 1, gin, 1.0);
  }

  @Override
  public synchronized void poolSum(Buffer in, KernelMap map, int[] counts, Buffer out) {
    enter();
    mapOps.poolSum(of(in), map, counts, of(out), true);
  }

  @Override
  public synchronized void poolSumBackward(Buffer gradOut, KernelMap map, int[] counts, Buffer gradIn) {
    enter();
    mapOps.poolSum(of(gradOut), map, counts, of(gradIn), false);
  }

  // ---- pointwise ---------------------------------------------------------------------------

  @Override
  public synchronized void pointwise(PointwiseFunction f, Buffer x, Buffer y) {
    enter();
    CudaBuffer in = of(x);
    launcher.gridStride(Kernel.POINTWISE_FORWARD, in.isDouble(), in.length(), f.kind().ordinal(), f.parameter(),
        in.length(), in.pointer(), of(y).pointer());
  }

  @Override
  public synchronized void pointwiseBackward(PointwiseFunction f, Buffer gradOut, Buffer value, boolean atOutput,
      Buffer gradIn) {
    enter();
    if (atOutput && !f.derivativeFromOutput()) {
      throw new IllegalStateException(f.kind() + "'s derivative needs its input");
    }
    CudaBuffer g = of(gradOut);
    launcher.gridStride(Kernel.POINTWISE_BACKWARD, g.isDouble(), g.length(), f.kind().ordinal(), f.parameter(),
        atOutput ? 1 : 0, g.length(), g.pointer(), of(value).pointer(), of(gradIn).pointer());
  }

  @Override
  public synchronized void add(Buffer a, Buffer b, double beta, Buffer out) {
    enter();
    CudaBuffer x = sameShape("add", a, b, out);
    launcher.gridStride(Kernel.ADD_SCALED, x.isDouble(), x.length(), x.length(), x.pointer(), of(b).pointer(), beta,
        of(out).pointer());
  }

  @Override
  public synchronized void multiply(Buffer a, Buffer b, Buffer out) {
    enter();
    CudaBuffer x = sameShape("multiply", a, b, out);
    launcher.gridStride(Kernel.MULTIPLY, x.isDouble(), x.length(), x.length(), x.pointer(), of(b).pointer(),
        of(out).pointer());
  }

  @Override
  public synchronized void scale(Buffer a, double s, Buffer out) {
    enter();
    CudaBuffer x = sameShape("scale", a, out);
    launcher.gridStride(Kernel.SCALE, x.isDouble(), x.length(), x.length(), x.pointer(), s, of(out).pointer());
  }

  @Override
  public synchronized void dropout(Buffer x, long seed, double p, Buffer out) {
    enter();
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
    }
    CudaBuffer a = sameShape("dropout", x, out);
    launcher.gridStride(Kernel.DROPOUT, a.isDouble(), a.length(), a.length(), a.pointer(), DropoutMask.key(seed), p,
        1 / (1 - p), of(out).pointer());
  }

  @Override
  public synchronized void addRowVector(Buffer v, Buffer out) {
    enter();
    CudaBuffer y = of(out);
    if (of(v).length() != y.cols() || of(v).dataType() != y.dataType()) {
      throw new IllegalArgumentException("row vector of " + of(v).length() + " " + of(v).dataType() + " for "
          + y.cols() + " " + y.dataType() + " columns");
    }
    launcher.gridStride(Kernel.ADD_ROW_VECTOR, y.isDouble(), y.length(), y.rows(), y.channels(), of(v).pointer(),
        y.pointer());
  }

  @Override
  public synchronized void gemm(Buffer a, boolean transposeA, Buffer b, boolean transposeB, double beta, Buffer c) {
    enter();
    CudaBuffer x = of(a);
    CudaBuffer y = of(b);
    CudaBuffer z = of(c);
    int m = (int) z.rows();
    int n = (int) z.cols();
    int k = (int) (transposeA ? x.rows() : x.cols());
    if ((transposeA ? x.cols() : x.rows()) != m || (transposeB ? y.rows() : y.cols()) != n
        || (transposeB ? y.cols() : y.rows()) != k) {
      throw new IllegalArgumentException("gemm shapes: op(a) " + (transposeA ? "T" : "") + "[" + x.rows() + ", "
          + x.cols() + "], op(b) " + (transposeB ? "T" : "") + "[" + y.rows() + ", " + y.cols() + "], c [" + m + ", "
          + n + "]");
    }
    launcher.launch(Kernel.GEMM, z.isDouble(), (n + 15) / 16, (m + 15) / 16, 16, 16, 0, m, n, k, x.pointer(),
        (int) x.cols(), transposeA ? 1 : 0, y.pointer(), (int) y.cols(), transposeB ? 1 : 0, beta, z.pointer(), n);
  }

  @Override
  public synchronized void columnSums(Buffer x, double[] sums) {
    enter();
    CudaBuffer in = of(x);
    double[] result = Reductions.columnSums(launcher, memory, in);
    System.arraycopy(result, 0, sums, 0, result.length);
  }

  @Override
  public synchronized double bceWithLogitsSum(Buffer logits, int[] positives, MemoryLedger ledger) {
    enter();
    return losses.bceWithLogitsSum(of(logits), positives, ledger);
  }

  @Override
  public synchronized void bceWithLogitsBackward(Buffer logits, int[] positives, double scale, Buffer gradIn,
      MemoryLedger ledger) {
    enter();
    losses.bceWithLogitsBackward(of(logits), positives, scale, of(gradIn), ledger);
  }

  @Override
  public synchronized boolean[] greaterThan(Buffer x, double threshold) {
    enter();
    CudaBuffer in = of(x);
    byte[] bytes = new byte[Math.toIntExact(in.length())];
    try (DeviceArray mask = memory.bytes(bytes.length, null, "mask")) {
      launcher.gridStride(Kernel.GREATER_THAN, in.isDouble(), in.length(), in.length(), in.pointer(), threshold, mask.at(0));
      memory.read(mask, bytes);
    }
    boolean[] out = new boolean[bytes.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes[i] != 0;
    }
    return out;
  }

  @Override
  public synchronized int firstNonFiniteRow(Buffer x) {
    enter();
    CudaBuffer in = of(x);
    int[] found = {Integer.MAX_VALUE};
    try (DeviceArray result = memory.ints(found, null, "finite check")) {
      launcher.gridStride(Kernel.FIRST_NON_FINITE_ROW, in.isDouble(), in.length(), in.rows(), in.channels(), in.pointer(),
          result.at(0));
      memory.read(result, found);
    }
    return found[0] == Integer.MAX_VALUE ? -1 : found[0];
  }

  // ---- normalization -------------------------------------------------------------------------

  @Override
  public synchronized void groupMoments(Buffer x, int[] group, int groups, double[] mean, double[] variance,
      int[] count) {
    enter();
    Normalization.moments(launcher, memory, of(x), group, groups, mean, variance, count);
  }

  @Override
  public synchronized void normalize(Buffer x, int[] group, double[] mean, double[] invStd, double[] gamma,
      double[] beta, Buffer y) {
    enter();
    Normalization.normalize(launcher, memory, of(x), group, mean, invStd, gamma, beta, of(y));
  }

  @Override
  public synchronized void normalizeBackward(Buffer gradOut, Buffer x, int[] group, int groups, double[] mean,
      double[] invStd, double[] gamma, int[] count, Buffer gradIn, double[] dGamma, double[] dBeta) {
    enter();
    Normalization.backward(launcher, memory, of(gradOut), of(x), group, groups, mean, invStd, gamma, count,
        of(gradIn), dGamma, dBeta);
  }

  // ---- optimizers ----------------------------------------------------------------------------

  @Override
  public synchronized void adamStep(Buffer param, Buffer grad, Buffer expAvg, Buffer expAvgSq, Buffer maxExpAvgSq,
      AdamStep s) {
    enter();
    CudaBuffer p = sameShape("adam", param, grad, expAvg, expAvgSq, maxExpAvgSq);
    double lr = s.learningRate();
    launcher.gridStride(Kernel.ADAM_STEP, p.isDouble(), p.length(), p.length(), p.pointer(), of(grad).pointer(),
        of(expAvg).pointer(), of(expAvgSq).pointer(), maxExpAvgSq == null ? NULL : of(maxExpAvgSq).pointer(),
        lr / s.firstMomentCorrection(), s.beta1(), s.beta2(), s.secondMomentCorrection(), s.eps(),
        s.decoupled() ? 1 - lr * s.weightDecay() : 1.0, s.decoupled() ? 0.0 : s.weightDecay());
  }

  @Override
  public synchronized void sgdStep(Buffer param, Buffer grad, Buffer momentumBuffer, SgdStep s) {
    enter();
    if (momentumBuffer == null && s.momentum() != 0) {
      throw new IllegalArgumentException("sgd with momentum " + s.momentum() + " needs a momentum buffer");
    }
    CudaBuffer p = sameShape("sgd", param, grad, momentumBuffer);
    launcher.gridStride(Kernel.SGD_STEP, p.isDouble(), p.length(), p.length(), p.pointer(), of(grad).pointer(),
        momentumBuffer == null ? NULL : of(momentumBuffer).pointer(), s.learningRate(), s.momentum(),
        s.weightDecay(), s.nesterov() ? 1 : 0, s.firstStep() ? 1 : 0);
  }

  /** Waits for the device (tests and benchmarks time with it). */
  synchronized void synchronize() {
    enter();
    device.synchronize();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      device.makeCurrent();
      device.synchronize();
      memory.releaseAllMaps();
      launcher.close();
      allocator.close();
      closed = true;
      device.close();
    }
  }
}
