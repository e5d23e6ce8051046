package org.jsparse.core.backend;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * A row-major {@code [rows, cols]} matrix of FLOAT or DOUBLE in a backend's memory: feature rows,
 * gradients, weights seen as {@code [K*Cin, Cout]}. A buffer made by {@link Backend#zeros} is
 * owned: closing it frees the memory at once and gives its bytes back to the ledger. A buffer made
 * by {@link Backend#borrow} only views memory somebody else owns; closing it does nothing.
 */
public interface Buffer extends AutoCloseable {
  /** The backend whose memory holds this buffer. */
  Backend backend();

  DataType dataType();

  long rows();

  long cols();

  /** rows * cols. */
  default long length() {
    return rows() * cols();
  }

  /** Bytes of the elements. */
  default long bytes() {
    return length() * dataType().width();
  }

  /** True once an owned buffer was closed (reading it afterwards fails). */
  boolean isClosed();

  /** Frees an owned buffer now (idempotent); does nothing for a borrowed one. */
  @Override
  void close();
}
