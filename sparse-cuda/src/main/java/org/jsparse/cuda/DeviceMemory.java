package org.jsparse.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;
import static jcuda.driver.JCudaDriver.cuMemsetD8;

import java.lang.ref.Cleaner;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import org.jsparse.core.internal.NativeInts;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Device memory of one backend: feature buffers, index arrays and kernel maps copied to the
 * device, and the copies back. Every block comes from the backend's {@link DeviceAllocator};
 * feature buffers are counted in the ledger they are made for, index arrays and kernel-map copies
 * as WORKSPACE of the op that uploads them (or uncounted where the op gets no ledger).
 */
final class DeviceMemory {
  static final Cleaner CLEANER = Cleaner.create();

  private final CudaBackend backend;
  private final DeviceAllocator allocator;
  /** Kernel maps copied to the device, by map identity (weak: a map nobody holds is released by CLEANER). */
  private final java.util.Map<KernelMap, DevicePairs> deviceMaps = new java.util.WeakHashMap<>();

  DeviceMemory(CudaBackend backend, DeviceAllocator allocator) {
    this.backend = backend;
    this.allocator = allocator;
  }

  /** An uninitialized {@code [rows, cols]} buffer, counted in {@code ledger} unless it is null. */
  CudaBuffer buffer(MemoryLedger ledger, MemoryCategory category, String op, DataType type, long rows, long cols) {
    if (type != DataType.FLOAT && type != DataType.DOUBLE) {
      throw new IllegalArgumentException("the CUDA backend holds FLOAT or DOUBLE features, got " + type);
    }
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("a buffer of shape [" + rows + ", " + cols + "]");
    }
    long bytes = Math.max(1, rows * cols * type.width());
    CUdeviceptr p = allocator.allocate(bytes);
    Allocation counted = ledger == null ? null : ledger.acquire(category, bytes, op);
    DeviceAllocator a = allocator;
    return new CudaBuffer(backend, type, rows, cols, p, counted, () -> a.release(p, bytes));
  }

  /** Sets every byte of a buffer to zero. */
  void zero(CudaBuffer b) {
    Cuda.check(cuMemsetD8(b.pointer(), (byte) 0, b.bytes()), "cuMemsetD8");
  }

  /** Host values into a new buffer. */
  CudaBuffer upload(MemoryLedger ledger, MemoryCategory category, String op, Object values, long rows, long cols) {
    DataType type = values instanceof float[] ? DataType.FLOAT : values instanceof double[] ? DataType.DOUBLE : null;
    if (type == null) {
      throw new IllegalArgumentException("upload takes a float[] or a double[], got "
          + (values == null ? "null" : values.getClass().getSimpleName()));
    }
    long length = type == DataType.FLOAT ? ((float[]) values).length : ((double[]) values).length;
    if (length != rows * cols) {
      throw new IllegalArgumentException(length + " values for a [" + rows + ", " + cols + "] buffer");
    }
    CudaBuffer b = buffer(ledger, category, op, type, rows, cols);
    Pointer host = type == DataType.FLOAT ? Pointer.to((float[]) values) : Pointer.to((double[]) values);
    Cuda.check(cuMemcpyHtoD(b.pointer(), host, b.bytes()), "cuMemcpyHtoD");
    return b;
  }

  /** A buffer's values on the host: float[] or double[]. */
  Object download(CudaBuffer b) {
    if (b.length() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a buffer of " + b.length() + " values does not fit one Java array");
    }
    if (b.isDouble()) {
      double[] out = new double[(int) b.length()];
      Cuda.check(cuMemcpyDtoH(Pointer.to(out), b.pointer(), b.bytes()), "cuMemcpyDtoH");
      return out;
    }
    float[] out = new float[(int) b.length()];
    Cuda.check(cuMemcpyDtoH(Pointer.to(out), b.pointer(), b.bytes()), "cuMemcpyDtoH");
    return out;
  }

  /** An int, long or byte array on the device, freed by close; counted as WORKSPACE of {@code op} when a ledger is given. */
  final class DeviceArray implements AutoCloseable {
    private final CUdeviceptr pointer;
    private final int elementBytes;
    private final long bytes;
    private final Allocation counted;
    private boolean closed;

    private DeviceArray(long length, int elementBytes, MemoryLedger ledger, String op) {
      this.elementBytes = elementBytes;
      this.bytes = Math.max(1, length * elementBytes);
      this.pointer = allocator.allocate(bytes);
      this.counted = ledger == null ? null : ledger.acquire(MemoryCategory.WORKSPACE, bytes, op);
    }

    CUdeviceptr at(long index) {
      return pointer.withByteOffset(index * elementBytes);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        allocator.release(pointer, bytes);
        if (counted != null) {
          counted.close();
        }
      }
    }
  }

  /** {@code values} on the device. */
  DeviceArray ints(int[] values, MemoryLedger ledger, String op) {
    DeviceArray d = new DeviceArray(values.length, Sizeof.INT, ledger, op);
    if (values.length > 0) {
      Cuda.check(cuMemcpyHtoD(d.pointer, Pointer.to(values), (long) values.length * Sizeof.INT), "cuMemcpyHtoD");
    }
    return d;
  }

  /** {@code length} uninitialized longs on the device. */
  DeviceArray longs(long length, MemoryLedger ledger, String op) {
    return new DeviceArray(length, Sizeof.LONG, ledger, op);
  }

  /** {@code values} on the device. */
  DeviceArray longs(long[] values, MemoryLedger ledger, String op) {
    DeviceArray d = new DeviceArray(values.length, Sizeof.LONG, ledger, op);
    if (values.length > 0) {
      Cuda.check(cuMemcpyHtoD(d.pointer, Pointer.to(values), (long) values.length * Sizeof.LONG), "cuMemcpyHtoD");
    }
    return d;
  }

  /** {@code length} ints on the device, every byte set to {@code fill} (0xFF gives -1). */
  DeviceArray filledInts(long length, byte fill, MemoryLedger ledger, String op) {
    return filled(length, Sizeof.INT, fill, ledger, op);
  }

  /** {@code length} ints on the device, each {@code value}. */
  DeviceArray filledInts(long length, int value, MemoryLedger ledger, String op) {
    DeviceArray d = new DeviceArray(length, Sizeof.INT, ledger, op);
    fill(d, length, value);
    return d;
  }

  /** Sets the first {@code length} ints of {@code d} to {@code value}. */
  void fill(DeviceArray d, long length, int value) {
    Cuda.check(cuMemsetD32(d.pointer, value, length), "cuMemsetD32");
  }

  /** {@code length} longs on the device, every byte set to {@code fill}. */
  DeviceArray filledLongs(long length, byte fill, MemoryLedger ledger, String op) {
    return filled(length, Sizeof.LONG, fill, ledger, op);
  }

  private DeviceArray filled(long length, int elementBytes, byte fill, MemoryLedger ledger, String op) {
    DeviceArray d = new DeviceArray(length, elementBytes, ledger, op);
    Cuda.check(cuMemsetD8(d.pointer, fill, d.bytes), "cuMemsetD8");
    return d;
  }

  /** {@code length} uninitialized bytes on the device. */
  DeviceArray bytes(long length, MemoryLedger ledger, String op) {
    return new DeviceArray(length, 1, ledger, op);
  }

  /** {@code length} zero bytes on the device. */
  DeviceArray zeroBytes(long length, MemoryLedger ledger, String op) {
    return filled(length, 1, (byte) 0, ledger, op);
  }

  /** Reads {@code out.length} bytes back from the device. */
  void read(DeviceArray d, byte[] out) {
    if (out.length > 0) {
      Cuda.check(cuMemcpyDtoH(Pointer.to(out), d.at(0), out.length), "cuMemcpyDtoH");
    }
  }

  /** Reads {@code out.length} ints back from the device. */
  void read(DeviceArray d, int[] out) {
    read(d, 0, out, out.length);
  }

  /** Reads {@code count} ints from index {@code from} of an int array on the device into {@code out} from 0. */
  void read(DeviceArray d, long from, int[] out, int count) {
    if (count > 0) {
      Cuda.check(cuMemcpyDtoH(Pointer.to(out), d.at(from), (long) count * Sizeof.INT), "cuMemcpyDtoH");
    }
  }

  /** {@code length} uninitialized ints on the device. */
  DeviceArray ints(long length, MemoryLedger ledger, String op) {
    return new DeviceArray(length, Sizeof.INT, ledger, op);
  }

  /** Doubles on the device for the statistics of a normalization (a small upload), or null for null. */
  CudaBuffer doubles(double[] values) {
    return values == null ? null : upload(null, MemoryCategory.WORKSPACE, "statistics", values, 1, values.length);
  }

  /**
   * The pairs of a kernel map with every offset readable, on the device: offset k is
   * {@code [start[k], start[k+1])}. Cached with the map (see {@link #pairs}); closing a lease does
   * nothing, the cache releases it.
   */
  final class DevicePairs implements AutoCloseable {
    /** Offset k's pairs are {@code [start[k], start[k+1])}. */
    final int[] start;
    final DeviceArray ins;
    final DeviceArray outs;

    private DevicePairs(KernelMap full, MemoryLedger ledger) {
      this.start = new int[full.volume() + 1];
      for (int k = 0; k < full.volume(); k++) {
        start[k + 1] = full.end(k);
      }
      int total = full.pairCount();
      int[] in = new int[total];
      int[] out = new int[total];
      for (int k = 0; k < full.volume(); k++) {
        NativeInts ik = full.insOf(k);
        NativeInts ok = full.outsOf(k);
        ik.copyTo(full.start(k), in, full.start(k), full.pairCount(k));
        ok.copyTo(full.start(k), out, full.start(k), full.pairCount(k));
      }
      this.ins = ints(in, null, null);
      this.outs = ints(out, null, null);
      this.counted = ledger == null ? null
          : ledger.acquire(MemoryCategory.KERNEL_MAPS, 8L * total, "kernel map on the device");
    }

    /** Pairs built on the device: takes {@code ins} and {@code outs} over. */
    DevicePairs(int[] start, DeviceArray ins, DeviceArray outs, MemoryLedger ledger) {
      this.start = start;
      this.ins = ins;
      this.outs = outs;
      this.counted = ledger == null ? null
          : ledger.acquire(MemoryCategory.KERNEL_MAPS, 8L * start[start.length - 1], "kernel map on the device");
    }

    private final Allocation counted;

    private boolean released;

    /** Gives the device memory back (once: the cache calls it when the map is closed, the cleaner when it is unreachable). */
    synchronized void release() {
      if (released) {
        return;
      }
      released = true;
      ins.close();
      outs.close();
      if (counted != null) {
        counted.close();
      }
    }

    int volume() {
      return start.length - 1;
    }

    int count(int k) {
      return start[k + 1] - start[k];
    }

    /** A lease ends: nothing to do, the copy stays cached with its map. */
    @Override
    public void close() {}
  }

  /**
   * The device copy of {@code map}, uploaded on first use (expanded where the map is compact or
   * streamed) and kept until the map is closed (checked at every call) or unreachable, counted as
   * KERNEL_MAPS in the ledger of the op that uploaded it: a training step's ops and its backward
   * pass share one copy instead of uploading the pairs per op.
   */
  synchronized DevicePairs pairs(KernelMap map, MemoryLedger ledger) {
    map.checkOpen();
    releaseClosedMaps();
    DevicePairs cached = deviceMaps.get(map);
    if (cached != null) {
      return cached;
    }
    KernelMap full = map.expanded(ledger);
    DevicePairs d;
    try {
      d = new DevicePairs(full, ledger);
    } finally {
      if (full != map) {
        full.close();
      }
    }
    deviceMaps.put(map, d);
    CLEANER.register(map, d::release);
    return d;
  }

  /** Makes {@code pairs} (built on the device) the device copy of {@code map}, released with it. */
  synchronized void attach(KernelMap map, DevicePairs pairs) {
    releaseClosedMaps();
    if (deviceMaps.containsKey(map)) {
      throw new IllegalStateException("the kernel map already has a device copy");
    }
    deviceMaps.put(map, pairs);
    CLEANER.register(map, pairs::release);
  }

  /** Releases the copies of maps that were closed (their owners evicted or dropped them). */
  private void releaseClosedMaps() {
    var it = deviceMaps.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getKey().isClosed()) {
        e.getValue().release();
        it.remove();
      }
    }
  }

  /** Releases every cached kernel-map copy (backend close). */
  synchronized void releaseAllMaps() {
    deviceMaps.values().forEach(DevicePairs::release);
    deviceMaps.clear();
  }
}
