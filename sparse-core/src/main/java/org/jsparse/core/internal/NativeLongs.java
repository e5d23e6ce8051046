package org.jsparse.core.internal;

import java.lang.ref.Cleaner;
import sun.misc.Unsafe;

/**
 * A fixed-length long array in native memory (packed coordinate keys of a map build), freed by
 * {@link #close}; a cleaner frees one nobody closed. Element access is unchecked: callers stay in
 * {@code [0, length)}.
 */
public final class NativeLongs implements AutoCloseable {
  private static final Unsafe UNSAFE = NativeMemory.UNSAFE;

  private final long address;
  private final int length;
  private final Cleaner.Cleanable cleanable;
  private boolean closed;

  /** An uninitialized array of {@code length} longs. */
  public NativeLongs(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    this.length = length;
    long[] at = new long[1];
    this.cleanable = NativeMemory.allocate(this, 8L * length, at);
    this.address = at[0];
  }

  public int length() {
    return length;
  }

  /** Bytes held. */
  public long bytes() {
    return 8L * length;
  }

  public long get(long i) {
    return UNSAFE.getLong(address + 8 * i);
  }

  public void set(long i, long v) {
    UNSAFE.putLong(address + 8 * i, v);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      cleanable.clean();
    }
  }
}
