package org.jsparse.core.coords;

import java.util.Arrays;

/**
 * Open-addressing hash map from packed coordinate keys (non-negative longs) to row numbers, with
 * linear probing and a load factor of at most 1/2. Inserts are single-threaded; lookups are
 * read-only and safe from many threads once inserts are done.
 */
public final class CoordinateHash {
  private static final long EMPTY = -1L;
  private final long[] keys;
  private final int[] values;
  private final int mask;
  private int size;

  /** A table sized for {@code expected} entries. */
  public CoordinateHash(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
    if (capacity <= 0) {
      throw new IllegalArgumentException("too many coordinates for one hash table: " + expected);
    }
    keys = new long[capacity];
    values = new int[capacity];
    Arrays.fill(keys, EMPTY);
    mask = capacity - 1;
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    return (int) h & mask;
  }

  /**
   * Inserts {@code key -> value} unless the key is present.
   *
   * @return the value already stored for the key, or -1 if it was inserted now
   */
  public int putIfAbsent(long key, int value) {
    if (size * 2 >= keys.length) {
      throw new IllegalStateException("CoordinateHash is full: it was sized for " + keys.length / 2);
    }
    int s = slot(key, mask);
    while (true) {
      long k = keys[s];
      if (k == EMPTY) {
        keys[s] = key;
        values[s] = value;
        size++;
        return -1;
      }
      if (k == key) {
        return values[s];
      }
      s = (s + 1) & mask;
    }
  }

  /** The row stored for a key, or -1. */
  public int get(long key) {
    int s = slot(key, mask);
    while (true) {
      long k = keys[s];
      if (k == key) {
        return values[s];
      }
      if (k == EMPTY) {
        return -1;
      }
      s = (s + 1) & mask;
    }
  }

  /** Looks up many keys; {@code out[i]} is the row of {@code keys[i]} or -1. */
  public void getAll(long[] query, int[] out) {
    for (int i = 0; i < query.length; i++) {
      out[i] = get(query[i]);
    }
  }

  /** Number of keys stored. */
  public int size() {
    return size;
  }

  /** Bytes the table holds. */
  public long bytes() {
    return 12L * keys.length;
  }
}
