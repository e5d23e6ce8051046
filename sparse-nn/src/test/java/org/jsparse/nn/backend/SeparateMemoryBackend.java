package org.jsparse.nn.backend;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jsparse.core.backend.AdamStep;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.backend.PointwiseFunction;
import org.jsparse.core.backend.SgdStep;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A backend with memory of its own, as a GPU has, emulated on the CPU: its buffers are not ND4J
 * views ({@link #toINDArray} hands out a copy, {@link #borrow} uploads one, as the CUDA backend
 * does), buffers of another backend are refused, and the ops run the CPU backend's kernels on the
 * buffers inside, so results must be the CPU backend's bit for bit. Code that writes into a
 * {@code toINDArray} result or a borrowed array and expects the buffer to change, reads a buffer
 * as host memory, or never closes a borrowed copy fails here the way it would on a GPU.
 */
public final class SeparateMemoryBackend implements Backend {
  private final Backend cpu = Backends.cpu();
  /** Bytes copied each way, by the code that asked for the copy ("to host Pruning.forward"). */
  private final Map<String, Long> copies = new TreeMap<>();

  /** The first caller outside the plumbing between an op and its backend. */
  private static String caller() {
    for (StackTraceElement e : new Throwable().getStackTrace()) {
      String c = e.getClassName();
      if (!c.endsWith("SeparateMemoryBackend") && !c.contains("SeparateMemoryBackend$") && !c.endsWith(".OnBackend")
          && !c.endsWith(".Elementwise") && !c.endsWith(".SparseTensor") && !c.endsWith(".Variable")
          && !c.equals("org.jsparse.core.backend.Backend")) { // its default methods call download
        return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName();
      }
    }
    return "?";
  }

  private void copied(String way, long bytes) {
    copies.merge(way + " " + caller(), bytes, Long::sum);
  }

  /** Bytes copied host to device and device to host so far, by caller. */
  public Map<String, Long> copies() {
    return new TreeMap<>(copies);
  }

  /** Where each borrowed copy not closed yet was made. */
  private final Map<Held, String> openBorrowed = new IdentityHashMap<>();

  /** Borrowed copies not closed yet (a device backend would hold their memory until they are collected). */
  public int openBorrowed() {
    return openBorrowed.size();
  }

  /** The call sites of the borrowed copies not closed yet, for a failure message. */
  public String openBorrowedSites() {
    return String.join("\n", new TreeSet<>(openBorrowed.values()));
  }

  /** A buffer of this backend: a CPU buffer nobody else can see. */
  private final class Held implements Buffer {
    private final Buffer inside;
    private final boolean borrowed;
    private boolean closed;

    Held(Buffer inside, boolean borrowed) {
      this.inside = inside;
      this.borrowed = borrowed;
      if (borrowed) {
        StackTraceElement[] caller = new Throwable().getStackTrace();
        openBorrowed.put(this, caller[2] + " <- " + caller[3]);
      }
    }

    @Override
    public Backend backend() {
      return SeparateMemoryBackend.this;
    }

    @Override
    public DataType dataType() {
      return inside.dataType();
    }

    @Override
    public long rows() {
      return inside.rows();
    }

    @Override
    public long cols() {
      return inside.cols();
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        inside.close();
        openBorrowed.remove(this);
      }
    }
  }

  private Buffer in(Buffer b) {
    if (b == null) {
      return null;
    }
    if (!(b instanceof Held h) || h.backend() != this) {
      throw new IllegalArgumentException("a buffer of " + b.backend().device() + " given to " + device());
    }
    if (h.closed) {
      throw new IllegalStateException("a closed buffer was read");
    }
    return h.inside;
  }

  @Override
  public String device() {
    return "separate memory (emulated device)";
  }

  @Override
  public Buffer zeros(MemoryLedger ledger, MemoryCategory category, String op, DataType type, long rows, long cols) {
    return new Held(cpu.zeros(ledger, category, op, type, rows, cols), false);
  }

  @Override
  public Buffer upload(MemoryLedger ledger, MemoryCategory category, String op, Object values, long rows, long cols) {
    copied("to device", rows * cols * (values instanceof double[] ? 8 : 4));
    return new Held(cpu.upload(ledger, category, op, values, rows, cols), false);
  }

  @Override
  public Object download(Buffer buffer) {
    copied("to host", buffer.bytes());
    return cpu.download(in(buffer));
  }

  @Override
  public Buffer borrow(INDArray array, long rows) {
    Buffer view = cpu.borrow(array, rows); // the CPU backend's checks of type and shape
    copied("to device", view.bytes());
    return new Held(cpu.upload(null, MemoryCategory.WORKSPACE, "borrowed", cpu.download(view), view.rows(), view.cols()),
        true);
  }

  @Override
  public INDArray toINDArray(Buffer buffer, long... shape) {
    Object values = download(buffer);
    return values instanceof double[] d ? Nd4j.create(d, shape, 'c') : Nd4j.create((float[]) values, shape, 'c');
  }

  @Override
  public void trim() {
    cpu.trim();
  }

  @Override
  public void convolutionForward(Buffer in, Buffer weight, KernelMap map, Buffer out, MemoryLedger ledger) {
    cpu.convolutionForward(in(in), in(weight), map, in(out), ledger);
  }

  @Override
  public void convolutionBackwardInput(Buffer gradOut, Buffer weight, KernelMap map, Buffer gradIn, MemoryLedger ledger) {
    cpu.convolutionBackwardInput(in(gradOut), in(weight), map, in(gradIn), ledger);
  }

  @Override
  public void convolutionBackwardWeight(Buffer in, Buffer gradOut, KernelMap map, Buffer gradWeight,
      MemoryLedger ledger) {
    cpu.convolutionBackwardWeight(in(in), in(gradOut), map, in(gradWeight), ledger);
  }

  @Override
  public void gatherRows(Buffer src, int[] rows, Buffer dst) {
    cpu.gatherRows(in(src), rows, in(dst));
  }

  @Override
  public void scatterAddRows(Buffer src, int[] rows, Buffer dst, double scale) {
    cpu.scatterAddRows(in(src), rows, in(dst), scale);
  }

  @Override
  public void copyColumns(Buffer src, int srcColumn, Buffer dst, int dstColumn, int width) {
    cpu.copyColumns(in(src), srcColumn, in(dst), dstColumn, width);
  }

  @Override
  public void poolMax(Buffer in, KernelMap map, Buffer out, int[] argmax) {
    cpu.poolMax(in(in), map, in(out), argmax);
  }

  @Override
  public void poolMaxBackward(Buffer gradOut, int[] argmax, Buffer gradIn) {
    cpu.poolMaxBackward(in(gradOut), argmax, in(gradIn));
  }

  @Override
  public void poolSum(Buffer in, KernelMap map, int[] counts, Buffer out) {
    cpu.poolSum(in(in), map, counts, in(out));
  }

  @Override
  public void poolSumBackward(Buffer gradOut, KernelMap map, int[] counts, Buffer gradIn) {
    cpu.poolSumBackward(in(gradOut), map, counts, in(gradIn));
  }

  @Override
  public void pointwise(PointwiseFunction f, Buffer x, Buffer y) {
    cpu.pointwise(f, in(x), in(y));
  }

  @Override
  public void pointwiseBackward(PointwiseFunction f, Buffer gradOut, Buffer value, boolean atOutput, Buffer gradIn) {
    cpu.pointwiseBackward(f, in(gradOut), in(value), atOutput, in(gradIn));
  }

  @Override
  public void add(Buffer a, Buffer b, double beta, Buffer out) {
    cpu.add(in(a), in(b), beta, in(out));
  }

  @Override
  public void dropout(Buffer x, long seed, double p, Buffer out) {
    cpu.dropout(in(x), seed, p, in(out));
  }

  @Override
  public void multiply(Buffer a, Buffer b, Buffer out) {
    cpu.multiply(in(a), in(b), in(out));
  }

  @Override
  public void adamStep(Buffer param, Buffer grad, Buffer expAvg, Buffer expAvgSq, Buffer maxExpAvgSq, AdamStep step) {
    cpu.adamStep(in(param), in(grad), in(expAvg), in(expAvgSq), in(maxExpAvgSq), step);
  }

  @Override
  public void sgdStep(Buffer param, Buffer grad, Buffer momentumBuffer, SgdStep step) {
    cpu.sgdStep(in(param), in(grad), in(momentumBuffer), step);
  }

  @Override
  public void channelwiseForward(Buffer in, Buffer weight, KernelMap map, Buffer out, MemoryLedger ledger) {
    cpu.channelwiseForward(in(in), in(weight), map, in(out), ledger);
  }

  @Override
  public void channelwiseBackwardInput(Buffer gradOut, Buffer weight, KernelMap map, Buffer gradIn, MemoryLedger ledger) {
    cpu.channelwiseBackwardInput(in(gradOut), in(weight), map, in(gradIn), ledger);
  }

  @Override
  public void channelwiseBackwardWeight(Buffer in, Buffer gradOut, KernelMap map, Buffer gradWeight,
      MemoryLedger ledger) {
    cpu.channelwiseBackwardWeight(in(in), in(gradOut), map, in(gradWeight), ledger);
  }

  @Override
  public void scale(Buffer a, double s, Buffer out) {
    cpu.scale(in(a), s, in(out));
  }

  @Override
  public void addRowVector(Buffer v, Buffer out) {
    cpu.addRowVector(in(v), in(out));
  }

  @Override
  public void gemm(Buffer a, boolean transposeA, Buffer b, boolean transposeB, double beta, Buffer c) {
    cpu.gemm(in(a), transposeA, in(b), transposeB, beta, in(c));
  }

  @Override
  public void columnSums(Buffer x, double[] sums) {
    cpu.columnSums(in(x), sums);
  }

  @Override
  public double bceWithLogitsSum(Buffer logits, int[] positives, MemoryLedger ledger) {
    return cpu.bceWithLogitsSum(in(logits), positives, ledger);
  }

  @Override
  public void bceWithLogitsBackward(Buffer logits, int[] positives, double scale, Buffer gradIn, MemoryLedger ledger) {
    cpu.bceWithLogitsBackward(in(logits), positives, scale, in(gradIn), ledger);
  }

  @Override
  public boolean[] greaterThan(Buffer x, double threshold) {
    boolean[] mask = cpu.greaterThan(in(x), threshold);
    copied("to host", mask.length); // a device sends the mask, a byte an element
    return mask;
  }

  @Override
  public int firstNonFiniteRow(Buffer x) {
    return cpu.firstNonFiniteRow(in(x));
  }

  @Override
  public void groupMoments(Buffer x, int[] group, int groups, double[] mean, double[] variance, int[] count) {
    cpu.groupMoments(in(x), group, groups, mean, variance, count);
  }

  @Override
  public void normalize(Buffer x, int[] group, double[] mean, double[] invStd, double[] gamma, double[] beta, Buffer y) {
    cpu.normalize(in(x), group, mean, invStd, gamma, beta, in(y));
  }

  @Override
  public void normalizeBackward(Buffer gradOut, Buffer x, int[] group, int groups, double[] mean, double[] invStd,
      double[] gamma, int[] count, Buffer gradIn, double[] dGamma, double[] dBeta) {
    cpu.normalizeBackward(in(gradOut), in(x), group, groups, mean, invStd, gamma, count, in(gradIn), dGamma, dBeta);
  }

  @Override
  public void close() {
    cpu.close();
  }
}
