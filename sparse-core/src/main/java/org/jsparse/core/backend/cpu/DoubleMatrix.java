package org.jsparse.core.backend.cpu;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * float64 {@link HostMatrix}: the line-for-line twin of {@link FloatMatrix}. Kept as a separate
 * class on purpose: the element loops must be on primitive arrays for the JIT to vectorise them.
 */
final class DoubleMatrix extends HostMatrix {
  final double[] data;

  DoubleMatrix(int rows, int cols, double[] data) {
    super(rows, cols);
    this.data = data;
  }

  @Override
  public DataType dataType() {
    return DataType.DOUBLE;
  }

  @Override
  int elementBytes() {
    return 8;
  }

  @Override
  public INDArray toINDArray() {
    if (data.length == 0) {
      return Nd4j.create(DataType.DOUBLE, rows, cols);
    }
    return Nd4j.create(data, new long[] {rows, cols}, 'c');
  }

  @Override
  public double get(int row, int col) {
    return data[row * cols + col];
  }

  @Override
  public void set(int row, int col, double value) {
    data[row * cols + col] = value;
  }

  @Override
  public Object scratch(int n, int width) {
    return new double[n * width];
  }

  @Override
  public void gatherRows(int[] idx, int from, int to, Pointer dst, Object scratch) {
    double[] buf = (double[]) scratch;
    int c = cols;
    for (int p = from; p < to; p++) {
      System.arraycopy(data, idx[p] * c, buf, (p - from) * c, c);
    }
    ((DoublePointer) dst).put(buf, 0, (to - from) * c);
  }

  @Override
  public void addRowsFrom(Pointer src, int n, int[] idx, int from, Object scratch) {
    double[] buf = (double[]) scratch;
    int c = cols;
    ((DoublePointer) src).get(buf, 0, n * c);
    for (int r = 0; r < n; r++) {
      int d = idx[from + r] * c;
      int s = r * c;
      for (int j = 0; j < c; j++) {
        data[d + j] += buf[s + j];
      }
    }
  }

  @Override
  public void addRange(Pointer src, int firstRow, int n, Object scratch) {
    double[] buf = (double[]) scratch;
    int c = cols;
    ((DoublePointer) src).get(buf, 0, n * c);
    int d = firstRow * c;
    for (int j = 0; j < n * c; j++) {
      data[d + j] += buf[j];
    }
  }

  @Override
  public void gatherBlocks(int[] idx, int[] target, int from, int to, int firstRow, int width, int column,
      Object scratch) {
    double[] buf = (double[]) scratch;
    int c = cols;
    for (int p = from; p < to; p++) {
      System.arraycopy(data, idx[p] * c, buf, (target[p] - firstRow) * width + column, c);
    }
  }

  @Override
  public Pointer toPointer() {
    return new DoublePointer(Math.max(1, data.length)).put(data);
  }

  @Override
  public void addFrom(Pointer src) {
    double[] buf = new double[data.length];
    ((DoublePointer) src).get(buf);
    for (int i = 0; i < buf.length; i++) {
      data[i] += buf[i];
    }
  }

  @Override
  public void addRowTo(int srcRow, HostMatrix dst, int dstRow, int colOffset, double scale) {
    double[] out = ((DoubleMatrix) dst).data;
    int s = srcRow * cols;
    int d = dstRow * dst.cols + colOffset;
    double f = scale;
    if (f == 1.0) {
      for (int j = 0; j < cols; j++) {
        out[d + j] += data[s + j];
      }
    } else {
      for (int j = 0; j < cols; j++) {
        out[d + j] += f * data[s + j];
      }
    }
  }

  @Override
  public void copyRowTo(int srcRow, HostMatrix dst, int dstRow, int colOffset) {
    System.arraycopy(data, srcRow * cols, ((DoubleMatrix) dst).data, dstRow * dst.cols + colOffset, cols);
  }

  @Override
  public void copyColumnsTo(int srcRow, int colOffset, HostMatrix dst, int dstRow) {
    System.arraycopy(data, srcRow * cols + colOffset, ((DoubleMatrix) dst).data, dstRow * dst.cols, dst.cols);
  }

  @Override
  public void maxRowTo(int srcRow, HostMatrix dst, int dstRow, int[] argmax) {
    double[] out = ((DoubleMatrix) dst).data;
    int s = srcRow * cols;
    int d = dstRow * cols;
    for (int j = 0; j < cols; j++) {
      if (argmax[d + j] < 0 || data[s + j] > out[d + j]) {
        out[d + j] = data[s + j];
        argmax[d + j] = srcRow;
      }
    }
  }

  @Override
  public void scaleRow(int row, double scale) {
    double f = scale;
    for (int j = row * cols, e = j + cols; j < e; j++) {
      data[j] *= f;
    }
  }

  @Override
  public int firstNonFiniteRow() {
    for (int i = 0; i < data.length; i++) {
      if (!Double.isFinite(data[i])) {
        return i / cols;
      }
    }
    return -1;
  }
}
