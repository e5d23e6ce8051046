package org.jsparse.core.internal;

/**
 * Open-addressing hash from coordinate rows to their index in a {@link WideRows} table: each slot
 * holds only a row index (4 bytes), the row itself is read from the table to compare, so the hash
 * costs 8 bytes a row at load 1/2 whatever D is. Linear probing, native memory. Inserts are
 * single-threaded; lookups are read-only and safe from many threads once inserts are done.
 */
public final class RowHash implements AutoCloseable {
  private final WideRows rows;
  private final NativeInts slots;
  private final int capacity;
  private int size;

  /** A hash over {@code rows} with room for {@code expected} entries (the rows already there are not added). */
  public RowHash(WideRows rows, int expected) {
    int cap = CoordinateHash.capacityFor(expected);
    if (cap <= 0) {
      throw new IllegalArgumentException("too many coordinates for one hash table: " + expected);
    }
    this.rows = rows;
    this.capacity = cap;
    this.slots = new NativeInts(cap);
    slots.fill(-1);
  }

  /** A hash of every row of {@code rows}, which must be unique. */
  public static RowHash ofUnique(WideRows rows) {
    RowHash h = new RowHash(rows, rows.size());
    int[] scratch = new int[rows.width()];
    for (int r = 0; r < rows.size(); r++) {
      rows.read(r, scratch, 0);
      h.insert(r, scratch);
    }
    return h;
  }

  private int slot(int[] t, int at) {
    long h = 0x9E3779B97F4A7C15L;
    for (int c = 0; c < rows.width(); c++) {
      h = (h ^ t[at + c]) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
    }
    return (int) (((h & 0xFFFFFFFFL) * capacity) >>> 32);
  }

  /** The index of the row equal to {@code width} ints of {@code t} from {@code at}, or -1. */
  public int find(int[] t, int at) {
    int s = slot(t, at);
    while (true) {
      int r = slots.get(s);
      if (r < 0) {
        return -1;
      }
      if (rows.rowEquals(r, t, at)) {
        return r;
      }
      s = s + 1 == capacity ? 0 : s + 1;
    }
  }

  /**
   * Returns the index of the row equal to {@code t}, or appends {@code t} to the table, indexes it
   * and returns -1 (its index is then {@code rows.size() - 1}).
   */
  public int putIfAbsent(int[] t, int at) {
    slots.checkOpen();
    int s = slot(t, at);
    while (true) {
      int r = slots.get(s);
      if (r < 0) {
        checkRoom();
        slots.set(s, rows.add(t, at));
        size++;
        return -1;
      }
      if (rows.rowEquals(r, t, at)) {
        return r;
      }
      s = s + 1 == capacity ? 0 : s + 1;
    }
  }

  /** Indexes row {@code row} of the table (its ints in {@code t}), known to be unique. */
  private void insert(int row, int[] t) {
    checkRoom();
    int s = slot(t, 0);
    while (slots.get(s) >= 0) {
      s = s + 1 == capacity ? 0 : s + 1;
    }
    slots.set(s, row);
    size++;
  }

  private void checkRoom() {
    if (size * 2L >= capacity) {
      throw new IllegalStateException("RowHash is full: it was sized for " + capacity / 2);
    }
  }

  /** Slots of this table. */
  public int capacity() {
    return capacity;
  }

  /** Rows indexed. */
  public int size() {
    return size;
  }

  /** Bytes the slots hold (the rows are the table's). */
  public long bytes() {
    return slots.bytes();
  }

  /** Fails when the hash was freed. */
  public void checkOpen() {
    if (slots.isClosed()) {
      throw new IllegalStateException("this coordinate hash was freed");
    }
  }

  /** Frees the slots (idempotent); the rows stay the table's. */
  @Override
  public void close() {
    slots.close();
  }
}
