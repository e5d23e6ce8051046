package org.jsparse.core.coords;

import java.util.Arrays;

/**
 * An immutable N x (1+D) table of integer coordinates, one row per active site, batch index
 * first: {@code (batch, x1, ..., xD)}. Accessors only; all factories copy their input.
 */
public final class Coordinates {
  private final int dimension;
  private final int size;
  private final int[] rows;

  private Coordinates(int dimension, int[] rows) {
    if (dimension < 1) {
      throw new IllegalArgumentException("coordinates need at least one spatial axis, got D=" + dimension);
    }
    if (rows.length % (dimension + 1) != 0) {
      throw new IllegalArgumentException(
          "flat coordinate array of length " + rows.length + " is not a multiple of 1+D=" + (dimension + 1));
    }
    this.dimension = dimension;
    this.size = rows.length / (dimension + 1);
    this.rows = rows;
  }

  /** Coordinates from a flat row-major array {@code [N * (1+D)]}; the array is copied. */
  public static Coordinates fromFlat(int dimension, int[] flatRows) {
    return new Coordinates(dimension, flatRows.clone());
  }

  /** Coordinates from rows {@code (batch, x1..xD)}; every row must have the same length. */
  public static Coordinates of(int[]... rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("Coordinates.of needs at least one row; use empty(D) for none");
    }
    int width = rows[0].length;
    int[] flat = new int[rows.length * width];
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != width) {
        throw new IllegalArgumentException(
            "row " + r + " has " + rows[r].length + " entries, row 0 has " + width);
      }
      System.arraycopy(rows[r], 0, flat, r * width, width);
    }
    return new Coordinates(width - 1, flat);
  }

  /** No rows. */
  public static Coordinates empty(int dimension) {
    return new Coordinates(dimension, new int[0]);
  }

  /**
   * Wraps an array without copying. For library internals that build a fresh array and hand it
   * over: the caller must never write to it again.
   */
  public static Coordinates adopt(int dimension, int[] flatRows) {
    return new Coordinates(dimension, flatRows);
  }

  /** Number of spatial axes D. */
  public int dimension() {
    return dimension;
  }

  /** Number of rows N. */
  public int size() {
    return size;
  }

  /** Batch index of a row. */
  public int batch(int row) {
    return rows[row * (dimension + 1)];
  }

  /** Spatial coordinate of a row on axis {@code axis} (0-based spatial axis). */
  public int get(int row, int axis) {
    return rows[row * (dimension + 1) + 1 + axis];
  }

  /** One row as {@code (batch, x1..xD)}, copied. */
  public int[] row(int row) {
    int w = dimension + 1;
    return Arrays.copyOfRange(rows, row * w, row * w + w);
  }

  /** All rows flat, row-major, copied. */
  public int[] toFlatArray() {
    return rows.clone();
  }

  /** Bytes this table holds. */
  public long bytes() {
    return 4L * rows.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Coordinates c && c.dimension == dimension && Arrays.equals(c.rows, rows);
  }

  @Override
  public int hashCode() {
    return 31 * dimension + Arrays.hashCode(rows);
  }

  @Override
  public String toString() {
    return "Coordinates[N=" + size + ", D=" + dimension + "]";
  }
}
