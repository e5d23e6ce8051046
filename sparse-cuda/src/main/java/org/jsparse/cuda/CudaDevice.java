package org.jsparse.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;

/**
 * One GPU through the driver API: its primary context, made current on whichever thread calls
 * {@link #makeCurrent} (every backend entry does), so a backend works from any thread.
 */
final class CudaDevice implements AutoCloseable {
  final int index;
  final String name;
  final long totalBytes;
  private final CUdevice device = new CUdevice();
  private final CUcontext context = new CUcontext();
  private boolean closed;

  private CudaDevice(int index) {
    Cuda.check(cuInit(0), "cuInit");
    int[] count = new int[1];
    Cuda.check(cuDeviceGetCount(count), "cuDeviceGetCount");
    if (index < 0 || index >= count[0]) {
      throw new IllegalArgumentException("no CUDA device " + index + ": this machine has " + count[0]);
    }
    this.index = index;
    Cuda.check(cuDeviceGet(device, index), "cuDeviceGet");
    byte[] raw = new byte[256];
    Cuda.check(cuDeviceGetName(raw, raw.length, device), "cuDeviceGetName");
    int end = 0;
    while (end < raw.length && raw[end] != 0) {
      end++;
    }
    this.name = new String(raw, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    long[] total = new long[1];
    Cuda.check(cuDeviceTotalMem(total, device), "cuDeviceTotalMem");
    this.totalBytes = total[0];
    Cuda.check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
  }

  /** Opens device {@code index} (its primary context is retained until {@link #close}). */
  static CudaDevice open(int index) {
    return new CudaDevice(index);
  }

  /** Makes this device's context current on the calling thread. */
  void makeCurrent() {
    if (closed) {
      throw new IllegalStateException("this CUDA backend was closed");
    }
    Cuda.check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
  }

  /** Waits for every launch to finish (errors of asynchronous launches surface here). */
  void synchronize() {
    Cuda.check(cuCtxSynchronize(), "cuCtxSynchronize (a kernel failed)");
  }

  /** Free and total device memory now, in bytes. */
  long[] memoryInfo() {
    long[] free = new long[1];
    long[] total = new long[1];
    Cuda.check(cuMemGetInfo(free, total), "cuMemGetInfo");
    return new long[] {free[0], total[0]};
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      cuDevicePrimaryCtxRelease(device);
    }
  }
}
