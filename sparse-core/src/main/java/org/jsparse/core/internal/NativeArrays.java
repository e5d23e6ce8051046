package org.jsparse.core.internal;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Frees ND4J arrays now instead of when the garbage collector finds them. */
public final class NativeArrays {
  private NativeArrays() {}

  /** Releases the native memory of {@code a} when it owns it (not a view, not already closed); null is ignored. */
  public static void free(INDArray a) {
    if (a != null && a.closeable()) {
      long bytes = a.length() * a.dataType().width();
      a.close();
      NativeTrim.freed(bytes);
    }
  }
}
