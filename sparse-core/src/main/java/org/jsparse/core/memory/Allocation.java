package org.jsparse.core.memory;

import java.util.concurrent.atomic.AtomicBoolean;

/** A ledger entry for one buffer; closing it gives the bytes back (closing twice is harmless). */
public final class Allocation implements AutoCloseable {
  private final MemoryLedger ledger;
  private final MemoryLedger.Label label;
  private final long bytes;
  private final AtomicBoolean closed = new AtomicBoolean();

  Allocation(MemoryLedger ledger, MemoryLedger.Label label, long bytes) {
    this.ledger = ledger;
    this.label = label;
    this.bytes = bytes;
  }

  public MemoryCategory category() {
    return label.category();
  }

  /** The op that took the bytes. */
  public String op() {
    return label.op();
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
      ledger.release(label, bytes);
    }
  }
}
