package org.jsparse.nn.functional;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.nn.autograd.Variable;

/**
 * A dense value (a weight) as a buffer of one backend for the length of one op: the value's own
 * buffer when it lives there in the asked layout (nothing copied; closing leaves it alone), else
 * its host array borrowed (on a device a copy, which closing frees).
 */
final class Operand implements AutoCloseable {
  private final Buffer buffer;
  private final boolean borrowed;

  private Operand(Buffer buffer, boolean borrowed) {
    this.buffer = buffer;
    this.borrowed = borrowed;
  }

  /** {@code v} as a buffer of {@code backend} with {@code rows} rows. */
  static Operand of(Backend backend, Variable v, long rows) {
    Buffer own = v.buffer();
    if (own != null && v.backend() == backend && own.rows() == rows) {
      return new Operand(own, false);
    }
    return new Operand(backend.borrow(v.data(), rows), true);
  }

  Buffer buffer() {
    return buffer;
  }

  @Override
  public void close() {
    if (borrowed) {
      buffer.close();
    }
  }
}
