package org.jsparse.cuda;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.BackendProvider;

/**
 * Registers the CUDA backend with {@link org.jsparse.core.backend.Backends} ({@code
 * Backends.get("cuda", 0)}). Available when JCuda's native library loads (it needs the NVIDIA
 * driver's libcuda.so.1, no CUDA toolkit) and the driver reports at least one device.
 */
public final class CudaBackendProvider implements BackendProvider {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CudaBackendProvider.class);

  @Override
  public String name() {
    return "cuda";
  }

  @Override
  public boolean isAvailable() {
    return GpuProbe.deviceCount() > 0;
  }

  @Override
  public Backend create(int index) {
    return new CudaBackend(index);
  }

  /** Asks the driver once per JVM how many devices there are (0 when there is no driver). */
  static final class GpuProbe {
    private static final String[] REASON = new String[1];
    private static final int COUNT = probe();

    private GpuProbe() {}

    static int deviceCount() {
      return COUNT;
    }

    /** Why {@link #deviceCount} is 0, for test skip messages (null when a device was found). */
    static String whyNone() {
      return REASON[0];
    }

    private static int probe() {
      try {
        int r = jcuda.driver.JCudaDriver.cuInit(0);
        if (r != jcuda.driver.CUresult.CUDA_SUCCESS) {
          REASON[0] = "cuInit: " + jcuda.driver.CUresult.stringFor(r);
          return 0;
        }
        int[] count = new int[1];
        jcuda.driver.JCudaDriver.cuDeviceGetCount(count);
        if (count[0] == 0) {
          REASON[0] = "the driver reports no CUDA device";
        }
        return count[0];
      } catch (Throwable e) { // UnsatisfiedLinkError without libcuda.so.1, and JCuda's own load errors
        REASON[0] = "no NVIDIA driver here (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        LOG.debug("no CUDA device: {}", REASON[0]);
        return 0;
      }
    }
  }
}
