package org.jsparse.core.backend.cpu;

import org.bytedeco.javacpp.Pointer;
import org.jsparse.core.internal.NativeInts;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** float32 {@link HostMatrix}. */
final class FloatMatrix extends HostMatrix {
  FloatMatrix(INDArray array, long address, int rows, int cols) {
    super(array, address, rows, cols);
  }

  @Override
  public DataType dataType() {
    return DataType.FLOAT;
  }

  @Override
  int elementBytes() {
    return 4;
  }

  private long at(long row, long col) {
    return address + (row * cols + col) * 4;
  }

  @Override
  public double get(int row, int col) {
    return OffHeap.getFloat(at(row, col));
  }

  @Override
  public void set(int row, int col, double value) {
    OffHeap.putFloat(at(row, col), (float) value);
  }

  @Override
  public void addRowsFrom(Pointer src, int n, NativeInts idx, int from) {
    long s = src.address() + src.position() * 4;
    for (int r = 0; r < n; r++) {
      addFloats(s + (long) r * cols * 4, row(idx.get(from + r)), cols);
    }
  }

  @Override
  void addRowAt(long from, long to) {
    addFloats(from, to, cols);
  }

  @Override
  public void addRange(Pointer src, int firstRow, int n) {
    addFloats(src.address() + src.position() * 4, row(firstRow), (long) n * cols);
  }

  @Override
  public void addFrom(Pointer src) {
    addFloats(src.address() + src.position() * 4, address, (long) rows * cols);
  }

  /** {@code to[i] += from[i]} for n floats. */
  static void addFloats(long from, long to, long n) {
    for (long i = 0; i < n * 4; i += 4) {
      OffHeap.putFloat(to + i, OffHeap.getFloat(to + i) + OffHeap.getFloat(from + i));
    }
  }

  @Override
  public void addRowTo(int srcRow, HostMatrix dst, int dstRow, int colOffset, double scale) {
    long s = row(srcRow);
    long d = dst.row(dstRow) + colOffset * 4L;
    float f = (float) scale;
    if (f == 1f) {
      addFloats(s, d, cols);
    } else {
      for (long j = 0; j < cols * 4L; j += 4) {
        OffHeap.putFloat(d + j, OffHeap.getFloat(d + j) + f * OffHeap.getFloat(s + j));
      }
    }
  }

  @Override
  public void maxRowTo(int srcRow, HostMatrix dst, int dstRow, int[] argmax) {
    long s = row(srcRow);
    long d = dst.row(dstRow);
    int a = dstRow * cols;
    for (int j = 0; j < cols; j++) {
      float v = OffHeap.getFloat(s + j * 4L);
      if (argmax[a + j] < 0 || v > OffHeap.getFloat(d + j * 4L)) {
        OffHeap.putFloat(d + j * 4L, v);
        argmax[a + j] = srcRow;
      }
    }
  }

  @Override
  public void scaleRow(int row, double scale) {
    float f = (float) scale;
    long r = row(row);
    for (long j = 0; j < cols * 4L; j += 4) {
      OffHeap.putFloat(r + j, OffHeap.getFloat(r + j) * f);
    }
  }

  @Override
  public int firstNonFiniteRow() {
    long n = (long) rows * cols;
    for (long i = 0; i < n; i++) {
      if (!Float.isFinite(OffHeap.getFloat(address + i * 4))) {
        return (int) (i / cols);
      }
    }
    return -1;
  }
}
