package org.jsparse.cuda;

import jcuda.driver.CUresult;

/** Turns driver API status codes into exceptions that name the call and the error. */
final class Cuda {
  private Cuda() {}

  /** Fails unless {@code result} is CUDA_SUCCESS. */
  static void check(int result, String call) {
    if (result != CUresult.CUDA_SUCCESS) {
      throw new IllegalStateException("CUDA " + call + " failed: " + CUresult.stringFor(result));
    }
  }
}
