package org.jsparse.nn.autograd;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.internal.NativeArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A gradient on its way through the backward sweep, in the form the last node made it: a host
 * ND4J array (a node with an array backward) or a buffer of the value's backend (a node with a
 * buffer backward, {@link Node#backwardOnBuffers()}), the other form made only when a node asks
 * for it. On the CPU both forms are the same memory; on a device the array form is a copy, so a
 * chain of buffer nodes keeps the gradient on the device.
 *
 * <p>Ownership: a gradient made from an array owns the array (a borrowed buffer of it is closed
 * with it: nothing on the CPU, the device copy on a GPU); a gradient made from a buffer owns the
 * buffer, and its array form (a view on the CPU, a copy on a device) is never freed on its own.
 */
final class Gradient {
  private final Backend backend;
  private final long[] shape;
  private boolean bufferOwned;
  private INDArray array;
  private Buffer buffer;

  private Gradient(Backend backend, long[] shape, INDArray array, Buffer buffer, boolean bufferOwned) {
    this.backend = backend;
    this.shape = shape;
    this.array = array;
    this.buffer = buffer;
    this.bufferOwned = bufferOwned;
  }

  /** A gradient a node handed back as a host array; {@code backend} is where its value lives. */
  static Gradient ofArray(Backend backend, INDArray array) {
    return new Gradient(backend, array.shape(), array, null, false);
  }

  /** A gradient a node made as a buffer of {@code buffer.backend()}, shaped {@code shape} as an array. */
  static Gradient ofBuffer(Buffer buffer, long[] shape) {
    return new Gradient(buffer.backend(), shape, null, buffer, true);
  }

  /** The host form (made on first use: the buffer's view on the CPU, a copy from a device). */
  INDArray array() {
    if (array == null) {
      array = backend.toINDArray(buffer, shape);
    }
    return array;
  }

  /** The backend form (made on first use: the array itself on the CPU, a copy on a device). */
  Buffer buffer() {
    if (buffer == null) {
      buffer = backend.borrow(array, shape.length == 0 ? 1 : shape[0]);
    }
    return buffer;
  }

  /** True when the value's memory is in the backend's buffer (the last node made it there). */
  boolean onBuffer() {
    return bufferOwned;
  }

  /**
   * After a node wrote into {@link #buffer()}: the host form follows (a device's copy of an array
   * gradient is copied back; a cached host copy of a buffer gradient is dropped).
   */
  void bufferWritten() {
    if (bufferOwned) {
      array = null;
      return;
    }
    INDArray now = backend.toINDArray(buffer, shape);
    if (now != array) {
      array.assign(now);
    }
  }

  long bytes() {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n * (bufferOwned ? buffer.dataType() : array.dataType()).width();
  }

  /** An independent copy in the same form. */
  Gradient dup() {
    if (!bufferOwned) {
      return ofArray(backend, array.dup());
    }
    Buffer copy = backend.zeros(null, null, "gradient", buffer.dataType(), buffer.rows(), buffer.cols());
    backend.scale(buffer, 1.0, copy);
    return ofBuffer(copy, shape);
  }

  /** {@code this += other}, in this gradient's own form. */
  void add(Gradient other) {
    if (bufferOwned) {
      backend.add(buffer, other.buffer(), 1.0, buffer);
      array = null; // a host copy, if one was made, is stale now
      return;
    }
    array.addi(other.array());
    arrayWritten();
  }

  /** After the host array was written (an array node handed it on): a device's copy of it is stale. */
  void arrayWritten() {
    if (!bufferOwned && buffer != null) {
      buffer.close();
      buffer = null;
    }
  }

  /**
   * Makes the host array the owner of the value, for a node with an array backward: on a backend
   * that shares host memory (the CPU) the buffer's view takes its memory over, on a device the
   * buffer is copied to the host and freed.
   */
  void moveToArray() {
    if (!bufferOwned) {
      return;
    }
    INDArray a = backend.toINDArray(buffer, shape);
    if (!backend.sharesHostMemory()) {
      buffer.close();
    }
    array = a;
    buffer = null;
    bufferOwned = false;
  }

  /** The host array for a leaf to keep; this gradient frees everything else it held. */
  INDArray takeArray() {
    moveToArray();
    if (buffer != null) {
      buffer.close();
      buffer = null;
    }
    return array;
  }

  /**
   * The value as a {@code rows x cols} buffer of {@code target}, for a leaf that keeps its
   * gradient there (a parameter on a device); this gradient frees everything else it held. A
   * buffer already there in that layout is handed over as it is; anything else is copied.
   */
  Buffer takeBuffer(Backend target, long rows, long cols) {
    if (bufferOwned && backend == target && buffer.rows() == rows && buffer.cols() == cols) {
      Buffer b = buffer;
      buffer = null;
      array = null;
      bufferOwned = false;
      return b;
    }
    INDArray a = takeArray();
    Buffer owned = target.zeros(null, null, "gradient", a.dataType(), rows, cols);
    try (Buffer view = target.borrow(a, rows)) {
      target.scale(view, 1.0, owned);
    }
    NativeArrays.free(a);
    return owned;
  }

  /** Frees what this gradient owns. */
  void free() {
    if (bufferOwned) {
      buffer.close();
    } else {
      if (buffer != null) {
        buffer.close();
      }
      NativeArrays.free(array);
    }
  }
}
