package org.jsparse.core.backend.cpu;

import org.jsparse.core.internal.NativeArrays;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.memory.Allocation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A CPU buffer: an ND4J array in native memory, seen in place by the kernels. */
final class CpuBuffer implements Buffer {
  private final CpuBackend backend;
  private final INDArray array;
  private final long rows;
  private final long cols;
  private final Allocation allocation;
  /** Made by zeros or upload: closing frees the array. A borrowed buffer never frees it. */
  private final boolean owned;
  private boolean closed;
  private HostMatrix matrix;

  /** {@code allocation}: the ledger entry, or null when not counted (a borrowed buffer, or one made for a caller that counts it). */
  CpuBuffer(CpuBackend backend, INDArray array, long rows, long cols, Allocation allocation, boolean owned) {
    this.backend = backend;
    this.array = array;
    this.rows = rows;
    this.cols = cols;
    this.allocation = allocation;
    this.owned = owned;
  }

  @Override
  public Backend backend() {
    return backend;
  }

  @Override
  public DataType dataType() {
    return array.dataType();
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public long cols() {
    return cols;
  }

  INDArray array() {
    return array;
  }

  /** The in-place view the kernels use. */
  HostMatrix matrix() {
    if (matrix == null) {
      if (array.wasClosed()) {
        throw new IllegalStateException("this buffer was closed; its memory is freed");
      }
      matrix = HostMatrix.at(array, rows, cols);
    }
    if (isClosed()) {
      throw new IllegalStateException("this buffer was closed; its memory is freed");
    }
    return matrix;
  }

  @Override
  public boolean isClosed() {
    return closed || array.wasClosed() || (allocation != null && allocation.isClosed());
  }

  /**
   * Frees an owned buffer's memory (and its ledger entry); a borrowed one is left alone. An
   * uncounted owned buffer handed out as an ND4J array ({@code toINDArray}, a view) may instead be
   * freed through that array, as the autograd tape does.
   */
  @Override
  public void close() {
    if (owned && !closed) {
      closed = true;
      if (allocation != null) {
        allocation.close();
      }
      NativeArrays.free(array);
    }
  }

  @Override
  public String toString() {
    return "CpuBuffer[" + rows + " x " + cols + " " + dataType() + (owned ? "" : ", borrowed") + "]";
  }
}
