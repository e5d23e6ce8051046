package org.jsparse.cuda;

import jcuda.driver.CUdeviceptr;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.memory.Allocation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A row-major {@code [rows, cols]} FLOAT or DOUBLE matrix in device memory from the backend's
 * {@link DeviceAllocator}. Owned buffers are counted in a manager's ledger until closed. A
 * "borrowed" buffer ({@link Backend#borrow}) is a device copy of a host array: not counted, but
 * its memory is still the backend's, given back when it is closed or, for callers that follow the
 * CPU contract and never close borrowed buffers, when it becomes unreachable.
 */
final class CudaBuffer implements Buffer {
  private final CudaBackend backend;
  private final DataType type;
  private final long rows;
  private final long cols;
  private final CUdeviceptr pointer;
  private final Allocation counted;
  private final java.lang.ref.Cleaner.Cleanable release;
  private volatile boolean closed;

  /** {@code free} gives the memory back (it must not refer to this buffer); it runs once, at close or when unreachable. */
  CudaBuffer(CudaBackend backend, DataType type, long rows, long cols, CUdeviceptr pointer, Allocation counted,
      Runnable free) {
    this.backend = backend;
    this.type = type;
    this.rows = rows;
    this.cols = cols;
    this.pointer = pointer;
    this.counted = counted;
    this.release = DeviceMemory.CLEANER.register(this, free);
  }

  @Override
  public Backend backend() {
    return backend;
  }

  @Override
  public DataType dataType() {
    return type;
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public long cols() {
    return cols;
  }

  /** Columns as an int: the channel count of a feature buffer (kernels take ints). */
  int channels() {
    return (int) cols;
  }

  boolean isDouble() {
    return type == DataType.DOUBLE;
  }

  /** The device address of element 0; fails once the buffer is closed. */
  CUdeviceptr pointer() {
    if (closed) {
      throw new IllegalStateException("this device buffer [" + rows + ", " + cols + "] was closed");
    }
    return pointer;
  }

  /** The address of element {@code index} (in elements). */
  CUdeviceptr at(long index) {
    return pointer().withByteOffset(index * type.width());
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      if (counted != null) {
        counted.close();
      }
      release.clean();
    }
  }
}
