package org.jsparse.core.kmap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * The tensors counted in a manager's ledger that nobody has closed yet, so that closing the
 * manager closes them (an op result the backward pass never reached is freed then). Not
 * thread-safe: the manager calls it under its own lock.
 */
final class OpenTensors {
  private final Set<AutoCloseable> open = new HashSet<>();

  void add(AutoCloseable t) {
    open.add(t);
  }

  void remove(AutoCloseable t) {
    open.remove(t);
  }

  /** Closes every tensor still open. */
  void closeAll() {
    for (AutoCloseable t : new ArrayList<>(open)) {
      try {
        t.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing a tensor of the manager failed", e);
      }
    }
    open.clear();
  }
}
