package org.jsparse.core.kmap;

import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.internal.CoordinatePacker;
import org.jsparse.core.internal.NativeLongs;
import org.jsparse.core.internal.WideRows;

/**
 * The rows of one coordinate map in native memory, in one of two layouts chosen per manager:
 * <em>packed</em>, one 63-bit key a row (8 bytes; {@link CoordinatePacker}: the fast path, for
 * coordinates within its range), or <em>wide</em>, the {@code 1+D} ints of each row as they are
 * ({@link WideRows}: any int32 coordinate and batch index). Packed row r's key is
 * {@code packer.pack(row r)}; rows are unique. Owned by its map and closed with it; users get
 * {@link Coordinates} copies.
 */
final class CoordinateTable implements AutoCloseable {
  private final int dimension;
  /** The packed layout's keys and packing, or null for a wide table. */
  private final CoordinatePacker packer;
  private final NativeLongs keys;
  /** The wide layout's rows, or null for a packed table. */
  private final WideRows wide;
  /** Largest batch index + 1, found on first use (-1 until then); read under the manager's lock. */
  private int batches = -1;

  /** A packed table; takes {@code keys} over: the caller must not write or close them again. */
  CoordinateTable(CoordinatePacker packer, NativeLongs keys) {
    this.dimension = packer.dimension();
    this.packer = packer;
    this.keys = keys;
    this.wide = null;
  }

  /** A wide table; takes {@code rows} over (trimmed to their size). */
  CoordinateTable(WideRows rows) {
    this.dimension = rows.width() - 1;
    this.packer = null;
    this.keys = null;
    this.wide = rows.trim();
  }

  /** The wide copy of a packed table (a wide table returns itself). */
  CoordinateTable widened() {
    if (isWide()) {
      return this;
    }
    WideRows rows = new WideRows(dimension + 1, size());
    int[] row = new int[dimension + 1];
    for (int r = 0; r < size(); r++) {
      packer.unpack(keys.get(r), row, 0);
      rows.add(row, 0);
    }
    return new CoordinateTable(rows);
  }

  boolean isWide() {
    return wide != null;
  }

  /** The wide rows (wide tables only). */
  WideRows wideRows() {
    return wide;
  }

  int size() {
    return isWide() ? wide.size() : keys.length();
  }

  /** Every packed key, in row order, as a Java array (packed tables only). */
  long[] keys() {
    long[] copy = new long[size()];
    for (int r = 0; r < copy.length; r++) {
      copy[r] = keys.get(r);
    }
    return copy;
  }

  /** Row {@code row}'s packed key (packed tables only). */
  long key(int row) {
    return keys.get(row);
  }

  int batch(int row) {
    return isWide() ? wide.get(row, 0) : packer.batchOf(keys.get(row));
  }

  /** Largest batch index + 1 (0 for no rows). */
  int batchCount() {
    if (batches < 0) {
      int b = 0;
      for (int r = 0; r < size(); r++) {
        b = Math.max(b, batch(r) + 1);
      }
      batches = b;
    }
    return batches;
  }

  /** The batch index of every row, on the heap. */
  int[] batchIndices() {
    int[] b = new int[size()];
    for (int r = 0; r < b.length; r++) {
      b[r] = batch(r);
    }
    return b;
  }

  /** Writes row {@code row} as {@code (batch, x1..xD)} into {@code flat} at row {@code at} of a (1+D)-wide array. */
  void read(int row, int[] flat, int at) {
    if (isWide()) {
      wide.read(row, flat, at * (dimension + 1));
    } else {
      packer.unpack(keys.get(row), flat, at);
    }
  }

  /** Row {@code row} as {@code (batch, x1..xD)}. */
  int[] row(int row) {
    int[] out = new int[dimension + 1];
    read(row, out, 0);
    return out;
  }

  /** Every row unpacked into a heap copy. */
  Coordinates toCoordinates() {
    int[] flat = new int[size() * (dimension + 1)];
    for (int r = 0; r < size(); r++) {
      read(r, flat, r);
    }
    return Coordinates.adopt(dimension, flat);
  }

  /** Bytes held. */
  long bytes() {
    return isWide() ? wide.bytes() : keys.bytes();
  }

  @Override
  public void close() {
    if (isWide()) {
      wide.close();
    } else {
      keys.close();
    }
  }
}
