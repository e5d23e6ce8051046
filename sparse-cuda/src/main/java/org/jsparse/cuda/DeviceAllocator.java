package org.jsparse.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;

/**
 * The one caching allocator of a CUDA backend: sizes are rounded to classes (powers of two from
 * 512 bytes to 64 MiB, then multiples of 16 MiB) and a freed block waits in its class for the
 * next request of that class, so a training step's buffers are reused across steps instead of
 * going through cuMemAlloc/cuMemFree (which synchronize the device). On out-of-memory every
 * cached block is given back and the allocation tried once more, then {@link DeviceMemoryException}.
 * Thread-safe; the caller makes the context current.
 */
final class DeviceAllocator implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeviceAllocator.class);
  private static final long MIN = 512;
  private static final long POW2_UP_TO = 64L << 20;
  private static final long LARGE_STEP = 16L << 20;

  private final CudaDevice device;
  private final Map<Long, ArrayDeque<CUdeviceptr>> cache = new HashMap<>();
  private long inUse;
  private long cached;
  private long peakInUse;

  DeviceAllocator(CudaDevice device) {
    this.device = device;
  }

  /** The size class of a request. */
  static long sizeClass(long bytes) {
    long b = Math.max(MIN, bytes);
    if (b <= POW2_UP_TO) {
      return Long.highestOneBit(b - 1) << 1;
    }
    return (b + LARGE_STEP - 1) / LARGE_STEP * LARGE_STEP;
  }

  /** A block of at least {@code bytes} (its size is {@link #sizeClass}), uninitialized. */
  synchronized CUdeviceptr allocate(long bytes) {
    long size = sizeClass(bytes);
    ArrayDeque<CUdeviceptr> free = cache.get(size);
    if (free != null && !free.isEmpty()) {
      cached -= size;
      return taken(free.pop(), size);
    }
    CUdeviceptr p = new CUdeviceptr();
    int r = cuMemAlloc(p, size);
    if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
      long gaveBack = cached;
      releaseCached();
      LOG.info("device {} out of memory for {} bytes: gave {} cached bytes back and retries", device.name, size, gaveBack);
      r = cuMemAlloc(p, size);
      if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
        long[] info = device.memoryInfo();
        throw new DeviceMemoryException("cuda:" + device.index + " (" + device.name + ")", bytes, inUse, gaveBack,
            info[0], info[1]);
      }
    }
    Cuda.check(r, "cuMemAlloc(" + size + ")");
    return taken(p, size);
  }

  private CUdeviceptr taken(CUdeviceptr p, long size) {
    inUse += size;
    peakInUse = Math.max(peakInUse, inUse);
    return p;
  }

  /** Returns a block of {@code bytes} (as asked of {@link #allocate}) to its class. */
  synchronized void release(CUdeviceptr p, long bytes) {
    long size = sizeClass(bytes);
    inUse -= size;
    cached += size;
    cache.computeIfAbsent(size, s -> new ArrayDeque<>()).push(p);
  }

  /** Frees every cached block. */
  synchronized void releaseCached() {
    for (ArrayDeque<CUdeviceptr> free : cache.values()) {
      for (CUdeviceptr p : free) {
        cuMemFree(p);
      }
    }
    cache.clear();
    cached = 0;
  }

  synchronized long inUseBytes() {
    return inUse;
  }

  synchronized long cachedBytes() {
    return cached;
  }

  synchronized long peakInUseBytes() {
    return peakInUse;
  }

  @Override
  public void close() {
    releaseCached();
  }
}
