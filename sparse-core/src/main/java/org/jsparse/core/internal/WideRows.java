package org.jsparse.core.internal;

/**
 * Coordinate rows {@code (batch, x1..xD)} stored as they are, {@code 1+D} ints a row in native
 * memory, growing as rows are added: the table of a manager whose coordinates do not fit a packed
 * 63-bit key ({@link CoordinatePacker}). A row costs {@code 4(1+D)} bytes (16 at D=3, twice a
 * packed key) and every int32 value is allowed. Not thread-safe while rows are added; reads are
 * safe from many threads afterwards.
 */
public final class WideRows implements AutoCloseable {
  private final int width;
  private NativeInts data;
  private int size;

  /** An empty table of {@code width}-int rows with room for {@code capacity} rows before it grows. */
  public WideRows(int width, int capacity) {
    if (width < 2) {
      throw new IllegalArgumentException("a coordinate row has a batch index and >= 1 axis, got width " + width);
    }
    this.width = width;
    this.data = new NativeInts((int) checkedInts(Math.max(1, capacity)));
  }

  private long checkedInts(long rows) {
    long ints = rows * width;
    if (ints > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many coordinate rows for one map: " + rows + " rows of " + width
          + " ints exceed 2^31 ints; split the batch");
    }
    return ints;
  }

  /** Ints per row: 1 + D. */
  public int width() {
    return width;
  }

  /** Rows held. */
  public int size() {
    return size;
  }

  /** Column {@code col} (0 = batch, 1 + a = axis a) of row {@code row}. */
  public int get(int row, int col) {
    return data.get((long) row * width + col);
  }

  /** Copies row {@code row} into {@code into} at {@code at}. */
  public void read(int row, int[] into, int at) {
    long base = (long) row * width;
    for (int c = 0; c < width; c++) {
      into[at + c] = data.get(base + c);
    }
  }

  /** True when row {@code row} equals {@code width} ints of {@code t} from {@code at}. */
  public boolean rowEquals(int row, int[] t, int at) {
    long base = (long) row * width;
    for (int c = 0; c < width; c++) {
      if (data.get(base + c) != t[at + c]) {
        return false;
      }
    }
    return true;
  }

  /** Appends {@code width} ints of {@code t} from {@code at}; returns the new row's index. */
  public int add(int[] t, int at) {
    data.checkOpen();
    if ((long) (size + 1) * width > data.length()) {
      grow();
    }
    long base = (long) size * width;
    for (int c = 0; c < width; c++) {
      data.set(base + c, t[at + c]);
    }
    return size++;
  }

  private void grow() {
    long rows = Math.max(16, Math.min((long) size * 2, Integer.MAX_VALUE / width));
    if (rows <= size) {
      checkedInts((long) size + 1); // throws: the table cannot grow further
    }
    NativeInts bigger = new NativeInts((int) checkedInts(rows));
    bigger.copyFrom(data, 0, 0, (long) size * width);
    data.close();
    data = bigger;
  }

  /** Gives back the room beyond the rows held (call once the table is complete). */
  public WideRows trim() {
    long ints = (long) size * width;
    if (ints < data.length()) {
      NativeInts exact = new NativeInts((int) Math.max(1, ints));
      exact.copyFrom(data, 0, 0, ints);
      data.close();
      data = exact;
    }
    return this;
  }

  /** Bytes held (the room beyond {@link #size} included). */
  public long bytes() {
    return data.bytes();
  }

  @Override
  public void close() {
    data.close();
  }
}
