package org.jsparse.core.ops;

import org.jsparse.core.backend.Buffer;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** How the ops get their buffers from the manager's backend. */
final class OnBackend {
  private OnBackend() {}

  /** An ND4J array given at the API boundary, as a borrowed buffer of {@code rows} rows. */
  static Buffer borrow(CoordinateManager cm, INDArray a, long rows) {
    return cm.backend().borrow(a, rows);
  }

  /** Zeroed features of a new tensor, counted as FEATURES until the tensor is closed. */
  static Buffer features(CoordinateManager cm, String op, DataType type, long rows, long cols) {
    return cm.backend().zeros(cm.memory(), MemoryCategory.FEATURES, op, type, rows, cols);
  }

  /** A zeroed gradient handed to the caller as an ND4J array; the caller counts and frees it. */
  static Buffer gradient(CoordinateManager cm, DataType type, long rows, long cols) {
    return cm.backend().zeros(null, MemoryCategory.GRADIENTS, "gradient", type, rows, cols);
  }

  static INDArray array(CoordinateManager cm, Buffer b, long... shape) {
    return cm.backend().toINDArray(b, shape.length == 0 ? new long[] {b.rows(), b.cols()} : shape);
  }

  /**
   * An uncounted buffer an op made, handed to the caller as an ND4J array that owns its values: on
   * the CPU the array is the buffer's memory (freed through it), on a device a copy, and the device
   * buffer is freed here.
   */
  static INDArray handOut(CoordinateManager cm, Buffer b, long... shape) {
    INDArray a = array(cm, b, shape);
    if (!cm.backend().sharesHostMemory()) {
      b.close();
    }
    return a;
  }
}
