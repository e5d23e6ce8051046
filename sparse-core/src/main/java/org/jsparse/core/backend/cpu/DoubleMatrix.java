package org.jsparse.core.backend.cpu;

import org.bytedeco.javacpp.Pointer;
import org.jsparse.core.internal.NativeInts;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** float64 {@link HostMatrix}. */
final class DoubleMatrix extends HostMatrix {
  DoubleMatrix(INDArray array, long address, int rows, int cols) {
    super(array, address, rows, cols);
  }

  @Override
  public DataType dataType() {
    return DataType.DOUBLE;
  }

  @Override
  int elementBytes() {
    return 8;
  }

  private long at(long row, long col) {
    return address + (row * cols + col) * 8;
  }

  @Override
  public double get(int row, int col) {
    return OffHeap.getDouble(at(row, col));
  }

  @Override
  public void set(int row, int col, double value) {
    OffHeap.putDouble(at(row, col), value);
  }

  @Override
  public void addRowsFrom(Pointer src, int n, NativeInts idx, int from) {
    long s = src.address() + src.position() * 8;
    for (int r = 0; r < n; r++) {
      addDoubles(s + (long) r * cols * 8, row(idx.get(from + r)), cols);
    }
  }

  @Override
  void addRowAt(long from, long to) {
    addDoubles(from, to, cols);
  }

  @Override
  public void addRange(Pointer src, int firstRow, int n) {
    addDoubles(src.address() + src.position() * 8, row(firstRow), (long) n * cols);
  }

  @Override
  public void addFrom(Pointer src) {
    addDoubles(src.address() + src.position() * 8, address, (long) rows * cols);
  }

  /** {@code to[i] += from[i]} for n doubles. */
  static void addDoubles(long from, long to, long n) {
    for (long i = 0; i < n * 8; i += 8) {
      OffHeap.putDouble(to + i, OffHeap.getDouble(to + i) + OffHeap.getDouble(from + i));
    }
  }

  @Override
  public void addRowTo(int srcRow, HostMatrix dst, int dstRow, int colOffset, double scale) {
    long s = row(srcRow);
    long d = dst.row(dstRow) + colOffset * 8L;
    double f = scale;
    if (f == 1.0) {
      addDoubles(s, d, cols);
    } else {
      for (long j = 0; j < cols * 8L; j += 8) {
        OffHeap.putDouble(d + j, OffHeap.getDouble(d + j) + f * OffHeap.getDouble(s + j));
      }
    }
  }

  @Override
  public void maxRowTo(int srcRow, HostMatrix dst, int dstRow, int[] argmax) {
    long s = row(srcRow);
    long d = dst.row(dstRow);
    int a = dstRow * cols;
    for (int j = 0; j < cols; j++) {
      double v = OffHeap.getDouble(s + j * 8L);
      if (argmax[a + j] < 0 || v > OffHeap.getDouble(d + j * 8L)) {
        OffHeap.putDouble(d + j * 8L, v);
        argmax[a + j] = srcRow;
      }
    }
  }

  @Override
  public void scaleRow(int row, double scale) {
    double f = scale;
    long r = row(row);
    for (long j = 0; j < cols * 8L; j += 8) {
      OffHeap.putDouble(r + j, OffHeap.getDouble(r + j) * f);
    }
  }

  @Override
  public int firstNonFiniteRow() {
    long n = (long) rows * cols;
    for (long i = 0; i < n; i++) {
      if (!Double.isFinite(OffHeap.getDouble(address + i * 8))) {
        return (int) (i / cols);
      }
    }
    return -1;
  }
}
