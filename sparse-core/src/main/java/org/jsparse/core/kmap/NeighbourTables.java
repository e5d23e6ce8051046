package org.jsparse.core.kmap;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The scratch tables kernel-map builds fill per chunk of output rows (one neighbour row per output
 * row and offset), reused across a manager's builds instead of allocated per build and per worker:
 * a training step builds dozens of maps. At most one table per concurrent worker is ever made.
 */
final class NeighbourTables {
  private final ConcurrentLinkedQueue<int[]> free = new ConcurrentLinkedQueue<>();

  /** A table of at least {@code length} entries (contents undefined); give it back when done. */
  int[] take(int length) {
    int[] t = free.poll();
    return t != null && t.length >= length ? t : new int[length];
  }

  void give(int[] table) {
    free.offer(table);
  }
}
