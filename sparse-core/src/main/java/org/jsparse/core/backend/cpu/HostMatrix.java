package org.jsparse.core.backend.cpu;

import org.bytedeco.javacpp.Pointer;
import org.jsparse.core.internal.NativeInts;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A row-major float32 or float64 matrix in native memory, seen in place: a view of an ND4J
 * array's buffer (no copy), with the row-level primitives the CPU ops are built from (gather into
 * a GEMM operand, scatter-add a GEMM result, add / copy / max of rows). Row operations work on
 * whole rows so the per-row virtual call costs nothing next to the C-element loop; the element
 * loops live in the primitive subclasses. Valid while the array it views is open. Not
 * thread-safe for writes to the same rows.
 */
abstract class HostMatrix {
  protected final int rows;
  protected final int cols;
  /** Address of element (0, 0). */
  protected final long address;
  private final INDArray array;

  HostMatrix(INDArray array, long address, int rows, int cols) {
    this.array = array;
    this.address = address;
    this.rows = rows;
    this.cols = cols;
  }

  /**
   * A view of a 2-D float or double INDArray: in place when the array is row-major and contiguous,
   * else of a row-major copy (check {@link #isCopyOf}).
   */
  public static HostMatrix of(INDArray a) {
    if (a.rank() != 2) {
      throw new IllegalArgumentException("expected a 2-D feature matrix [N, C], got shape " + a.shapeInfoToString());
    }
    if (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE) {
      throw new IllegalArgumentException(
          "features must be FLOAT or DOUBLE, got " + a.dataType() + "; cast with castTo(DataType.FLOAT)");
    }
    if (a.wasClosed()) {
      throw new IllegalStateException(
          "these features were freed: the tensor that made them was closed (by backward(), a TensorScope or "
              + "close()); keep the tensor open, or copy the features with dup() before it is freed");
    }
    INDArray c = isDense(a) ? a : a.dup('c');
    return at(c, c.size(0), c.size(1));
  }

  /** True when {@code a} can be seen in place: row-major with rows packed one after another. */
  public static boolean isDense(INDArray a) {
    if (a.length() == 0) {
      return true;
    }
    if (a.isView() && a.offset() != 0 && a.data().length() < a.offset() + a.length()) {
      return false;
    }
    long expected = 1;
    for (int d = a.rank() - 1; d >= 0; d--) {
      if (a.size(d) > 1 && a.stride(d) != expected) {
        return false;
      }
      expected *= a.size(d);
    }
    return true;
  }

  /** A view of the packed row-major array {@code a} read as {@code [rows, cols]} (checked by the caller). */
  static HostMatrix at(INDArray a, long rows, long cols) {
    long address = a.length() == 0 ? 0 : a.data().address() + a.offset() * a.dataType().width();
    int r = Math.toIntExact(rows);
    int k = Math.toIntExact(cols);
    return a.dataType() == DataType.FLOAT ? new FloatMatrix(a, address, r, k) : new DoubleMatrix(a, address, r, k);
  }

  /** A new zero matrix (a fresh ND4J array the caller owns). */
  public static HostMatrix zeros(DataType type, int rows, int cols) {
    if (type != DataType.FLOAT && type != DataType.DOUBLE) {
      throw new IllegalArgumentException("features must be FLOAT or DOUBLE, got " + type);
    }
    return at(Nd4j.zeros(type, rows, cols), rows, cols);
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Bytes of the matrix. */
  public long bytes() {
    return (long) rows * cols * elementBytes();
  }

  public abstract DataType dataType();

  abstract int elementBytes();

  /** The ND4J array this matrix views (no copy). */
  public INDArray toINDArray() {
    return array;
  }

  /** Address of row {@code r}. */
  final long row(long r) {
    return address + r * cols * elementBytes();
  }

  public abstract double get(int row, int col);

  public abstract void set(int row, int col, double value);

  /** Copies rows {@code idx[from..to)} into the start of an off-heap operand (row-major, {@code cols} wide). */
  public void gatherRows(NativeInts idx, int from, int to, Pointer dst) {
    long rowBytes = (long) cols * elementBytes();
    long d = dst.address() + dst.position() * elementBytes();
    for (int p = from; p < to; p++) {
      OffHeap.copy(row(idx.get(p)), d, rowBytes);
      d += rowBytes;
    }
  }

  /** Adds the first {@code n} rows of an off-heap operand into rows {@code idx[from..from+n)}. */
  public abstract void addRowsFrom(Pointer src, int n, NativeInts idx, int from);

  /** Adds the first {@code n} rows of an off-heap operand into rows {@code firstRow..firstRow+n). */
  public abstract void addRange(Pointer src, int firstRow, int n);

  /**
   * Copies row {@code idx[p]} into an off-heap operand laid out as rows of {@code width} elements,
   * at row {@code target[p] - firstRow} and column {@code column}, for p in {@code [from, to)}: the
   * im2col-style operand of an implicit GEMM. Targets ascend; pairs that share a target (a
   * user-made map may repeat an output row within an offset) add up in their block, since their
   * rows meet the same weight block.
   */
  public void gatherBlocks(NativeInts idx, NativeInts target, int from, int to, int firstRow, int width, int column,
      Pointer dst) {
    int e = elementBytes();
    long rowBytes = (long) cols * e;
    long base = dst.address() + dst.position() * e;
    int previous = -1;
    for (int p = from; p < to; p++) {
      int t = target.get(p);
      long block = base + ((long) (t - firstRow) * width + column) * e;
      if (t == previous) {
        addRowAt(row(idx.get(p)), block);
      } else {
        OffHeap.copy(row(idx.get(p)), block, rowBytes);
      }
      previous = t;
    }
  }

  /**
   * Copies row {@code in[m]} into an off-heap operand of rows {@code width} elements wide at row
   * {@code slot[m]} and column {@code column}, for m in {@code [0, n)} (distinct slots).
   */
  public void gatherSlots(int[] in, int[] slot, int n, int width, int column, Pointer dst) {
    int e = elementBytes();
    long rowBytes = (long) cols * e;
    long base = dst.address() + dst.position() * e;
    for (int m = 0; m < n; m++) {
      OffHeap.copy(row(in[m]), base + ((long) slot[m] * width + column) * e, rowBytes);
    }
  }

  /** Adds the row at address {@code from} into the {@code cols} elements at address {@code to}. */
  abstract void addRowAt(long from, long to);

  /** An off-heap copy of the whole matrix; the caller closes it. */
  public Pointer toPointer() {
    Pointer p = Blas.allocate(dataType(), (long) rows * cols);
    OffHeap.copy(address, p.address(), bytes());
    return p;
  }

  /** Adds an off-heap matrix of the same shape into this one. */
  public abstract void addFrom(Pointer src);

  /** {@code dst[dstRow, colOffset : colOffset+cols] += scale * this[srcRow]}. */
  public abstract void addRowTo(int srcRow, HostMatrix dst, int dstRow, int colOffset, double scale);

  /** {@code dst[dstRow, colOffset : colOffset+cols] = this[srcRow]}. */
  public void copyRowTo(int srcRow, HostMatrix dst, int dstRow, int colOffset) {
    OffHeap.copy(row(srcRow), dst.row(dstRow) + (long) colOffset * elementBytes(), (long) cols * elementBytes());
  }

  /** {@code dst[dstRow] = this[srcRow, colOffset : colOffset + dst.cols]}. */
  public void copyColumnsTo(int srcRow, int colOffset, HostMatrix dst, int dstRow) {
    OffHeap.copy(row(srcRow) + (long) colOffset * elementBytes(), dst.row(dstRow), (long) dst.cols * elementBytes());
  }

  /**
   * Per channel c: if {@code argmax[dstRow*cols+c] < 0} or {@code this[srcRow,c] > dst[dstRow,c]},
   * then {@code dst[dstRow,c] = this[srcRow,c]} and {@code argmax[dstRow*cols+c] = srcRow}. Ties
   * keep the earlier row, so the result is deterministic.
   */
  public abstract void maxRowTo(int srcRow, HostMatrix dst, int dstRow, int[] argmax);

  /** Multiplies one row by a scalar. */
  public abstract void scaleRow(int row, double scale);

  /** The first row holding a NaN or infinite value, or -1 when every value is finite. */
  public abstract int firstNonFiniteRow();
}
