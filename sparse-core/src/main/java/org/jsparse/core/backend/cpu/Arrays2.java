package org.jsparse.core.backend.cpu;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Frees ND4J arrays now instead of when the garbage collector finds them. */
public final class Arrays2 {
  private Arrays2() {}

  /** Releases the native memory of {@code a} when it owns it (not a view, not already closed); null is ignored. */
  public static void free(INDArray a) {
    if (a != null && a.closeable()) {
      a.close();
    }
  }
}
