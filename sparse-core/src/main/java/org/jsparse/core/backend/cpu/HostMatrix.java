package org.jsparse.core.backend.cpu;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A row-major feature matrix on the Java heap, float32 or float64, with the row-level primitives
 * the CPU ops are built from (gather into a GEMM operand, scatter-add a GEMM result, add / copy /
 * max of rows). Row operations work on whole rows so the per-row virtual call costs nothing next
 * to the C-element loop; the element loops live in the primitive subclasses where the JIT can
 * vectorise them. Not thread-safe for writes to the same rows.
 */
public abstract class HostMatrix {
  protected final int rows;
  protected final int cols;

  HostMatrix(int rows, int cols) {
    this.rows = rows;
    this.cols = cols;
  }

  /** A heap copy of a 2-D float or double INDArray. */
  public static HostMatrix of(INDArray a) {
    if (a.rank() != 2) {
      throw new IllegalArgumentException("expected a 2-D feature matrix [N, C], got shape " + a.shapeInfoToString());
    }
    INDArray c = (a.isView() || a.ordering() != 'c' || a.data().length() != a.length()) ? a.dup('c') : a;
    int r = Math.toIntExact(a.size(0));
    int k = Math.toIntExact(a.size(1));
    return switch (a.dataType()) {
      case FLOAT -> new FloatMatrix(r, k, c.length() == 0 ? new float[0] : c.data().asFloat());
      case DOUBLE -> new DoubleMatrix(r, k, c.length() == 0 ? new double[0] : c.data().asDouble());
      default -> throw new IllegalArgumentException(
          "features must be FLOAT or DOUBLE, got " + a.dataType() + "; cast with castTo(DataType.FLOAT)");
    };
  }

  /** A zero matrix. */
  public static HostMatrix zeros(DataType type, int rows, int cols) {
    return switch (type) {
      case FLOAT -> new FloatMatrix(rows, cols, new float[Math.multiplyExact(rows, cols)]);
      case DOUBLE -> new DoubleMatrix(rows, cols, new double[Math.multiplyExact(rows, cols)]);
      default -> throw new IllegalArgumentException("features must be FLOAT or DOUBLE, got " + type);
    };
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Bytes of the heap array. */
  public long bytes() {
    return (long) rows * cols * elementBytes();
  }

  public abstract DataType dataType();

  abstract int elementBytes();

  /** A new INDArray {@code [rows, cols]} holding a copy of this matrix. */
  public abstract INDArray toINDArray();

  public abstract double get(int row, int col);

  public abstract void set(int row, int col, double value);

  /** Copies rows {@code idx[from..to)} into the start of an off-heap operand (row-major, {@code cols} wide). */
  public abstract void gatherRows(int[] idx, int from, int to, Pointer dst, Object scratch);

  /** Adds the first {@code n} rows of an off-heap operand into rows {@code idx[from..from+n)}. */
  public abstract void addRowsFrom(Pointer src, int n, int[] idx, int from, Object scratch);

  /** Adds the first {@code n} rows of an off-heap operand into rows {@code firstRow..firstRow+n). */
  public abstract void addRange(Pointer src, int firstRow, int n, Object scratch);

  /**
   * Copies row {@code idx[p]} into a heap scratch laid out as rows of {@code width} elements, at row
   * {@code target[p] - firstRow} and column {@code column}, for p in {@code [from, to)}: the
   * im2col-style operand of an implicit GEMM.
   */
  public abstract void gatherBlocks(int[] idx, int[] target, int from, int to, int firstRow, int width, int column,
      Object scratch);

  /** An off-heap copy of the whole matrix; the caller closes it. */
  public abstract Pointer toPointer();

  /** Adds an off-heap matrix of the same shape into this one. */
  public abstract void addFrom(Pointer src);

  /** A heap scratch buffer for {@code rows} rows of {@code width} elements, for gather/scatter. */
  public abstract Object scratch(int rows, int width);

  /** {@code dst[dstRow, colOffset : colOffset+cols] += scale * this[srcRow]}. */
  public abstract void addRowTo(int srcRow, HostMatrix dst, int dstRow, int colOffset, double scale);

  /** {@code dst[dstRow, colOffset : colOffset+cols] = this[srcRow]}. */
  public abstract void copyRowTo(int srcRow, HostMatrix dst, int dstRow, int colOffset);

  /** {@code dst[dstRow] = this[srcRow, colOffset : colOffset + dst.cols]}. */
  public abstract void copyColumnsTo(int srcRow, int colOffset, HostMatrix dst, int dstRow);

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
