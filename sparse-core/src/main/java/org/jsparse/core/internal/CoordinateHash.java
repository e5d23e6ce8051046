package org.jsparse.core.internal;


/**
 * Open-addressing hash map from packed coordinate keys (non-negative longs) to row numbers, with
 * linear probing and a load factor of at most 1/2, in native memory (off the Java heap; freed by
 * {@link #close}). Inserts are single-threaded; lookups are
 * read-only and safe from many threads once inserts are done.
 */
public final class CoordinateHash implements AutoCloseable {
  private static final long EMPTY = -1L;
  private static final sun.misc.Unsafe UNSAFE = org.jsparse.core.internal.NativeMemory.UNSAFE;
  /** keys: capacity longs at {@code base}; values: capacity ints after them. Native, off the heap. */
  private final long base;
  private final int capacity;
  private final java.lang.ref.Cleaner.Cleanable cleanable;
  private int size;
  private volatile boolean closed;

  /**
   * Slots of a table sized for {@code expected} entries: twice that (load 1/2), not rounded to a
   * power of two (a slot is found by multiply-shift, not a mask), so a table never holds more than
   * 24 bytes per entry.
   */
  public static int capacityFor(int expected) {
    long cap = 2L * Math.max(4, expected);
    return cap > Integer.MAX_VALUE ? -1 : (int) cap;
  }

  /** Slots of this table. */
  public int capacity() {
    return capacity;
  }

  /** A table sized for {@code expected} entries. */
  public CoordinateHash(int expected) {
    int cap = capacityFor(expected);
    if (cap <= 0) {
      throw new IllegalArgumentException("too many coordinates for one hash table: " + expected);
    }
    capacity = cap;
    long[] at = new long[1];
    cleanable = org.jsparse.core.internal.NativeMemory.allocate(this, SLOT * cap, at);
    base = at[0];
    UNSAFE.setMemory(base, SLOT * cap, (byte) 0xFF); // every key EMPTY (-1)
  }

  /**
   * Bytes per slot: the key and its row side by side, so a hit reads one cache line, not two (the
   * lookups of a kernel-map build are random and most of its time; keys and rows in two arrays
   * cost a second miss per hit).
   */
  private static final long SLOT = 12;

  private static int slot(long key, int capacity) {
    long h = key * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    return (int) (((h & 0xFFFFFFFFL) * capacity) >>> 32); // uniform in [0, capacity)
  }

  private long keyAt(int s) {
    return UNSAFE.getLong(base + SLOT * s);
  }

  private int valueAt(int s) {
    return UNSAFE.getInt(base + SLOT * s + 8);
  }

  /**
   * Inserts {@code key -> value} unless the key is present.
   *
   * @return the value already stored for the key, or -1 if it was inserted now
   */
  public int putIfAbsent(long key, int value) {
    checkOpen();
    int s = slot(key, capacity);
    while (true) {
      long k = keyAt(s);
      if (k == EMPTY) {
        if (size * 2 >= capacity) {
          throw new IllegalStateException("CoordinateHash is full: it was sized for " + capacity / 2);
        }
        UNSAFE.putLong(base + SLOT * s, key);
        UNSAFE.putInt(base + SLOT * s + 8, value);
        size++;
        return -1;
      }
      if (k == key) {
        return valueAt(s);
      }
      s = s + 1 == capacity ? 0 : s + 1;
    }
  }

  /** The row stored for a key, or -1. Callers check {@link #isClosed} once per batch of lookups. */
  public int get(long key) {
    int s = slot(key, capacity);
    while (true) {
      long k = keyAt(s);
      if (k == key) {
        return valueAt(s);
      }
      if (k == EMPTY) {
        return -1;
      }
      s = s + 1 == capacity ? 0 : s + 1;
    }
  }

  /** Looks up many keys; {@code out[i]} is the row of {@code keys[i]} or -1. */
  public void getAll(long[] query, int[] out) {
    checkOpen();
    for (int i = 0; i < query.length; i++) {
      out[i] = get(query[i]);
    }
  }

  /** Number of keys stored. */
  public int size() {
    return size;
  }

  /** Bytes the table holds (native memory). */
  public long bytes() {
    return SLOT * capacity;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Fails when the table was freed. */
  public void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this coordinate hash was freed");
    }
  }

  /** Frees the table now (idempotent); a table nobody closed is freed once unreachable. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      cleanable.clean();
    }
  }
}
