package org.jsparse.core.memory;

import java.util.concurrent.atomic.AtomicBoolean;

/** A ledger entry for one buffer; closing it gives the bytes back (closing twice is harmless). */
public final class Allocation implements AutoCloseable {
  private final MemoryLedger ledger;
  private final MemoryCategory category;
  private final long bytes;
  private final AtomicBoolean closed = new AtomicBoolean();

  Allocation(MemoryLedger ledger, MemoryCategory category, long bytes) {
    this.ledger = ledger;
    this.category = category;
    this.bytes = bytes;
  }

  public MemoryCategory category() {
    return category;
  }

  public long bytes() {
    return bytes;
  }

  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      ledger.release(category, bytes);
    }
  }
}
