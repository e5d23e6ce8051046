package org.jsparse.core.kmap;

import org.jsparse.core.coords.CoordinatePacker;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.memory.NativeLongs;

/**
 * The rows of one coordinate map as packed keys in native memory, 8 bytes a row (half of the
 * {@code (1+D)} ints of a {@link Coordinates} at D=3, and nothing on the Java heap for the GC to
 * hold on to). Row r's key is {@code packer.pack(row r)}; keys are unique. Owned by its map and
 * closed with it; users get {@link Coordinates} copies.
 */
final class CoordinateTable implements AutoCloseable {
  private final CoordinatePacker packer;
  private final NativeLongs keys;
  private final int batches;

  /** Takes {@code keys} over: the caller must not write or close them again. */
  CoordinateTable(CoordinatePacker packer, NativeLongs keys) {
    this.packer = packer;
    this.keys = keys;
    int b = 0;
    for (int r = 0; r < keys.length(); r++) {
      b = Math.max(b, packer.batchOf(keys.get(r)) + 1);
    }
    this.batches = b;
  }

  int size() {
    return keys.length();
  }

  long key(int row) {
    return keys.get(row);
  }

  int batch(int row) {
    return packer.batchOf(keys.get(row));
  }

  /** Largest batch index + 1 (0 for no rows). */
  int batchCount() {
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

  /** Row {@code row} as {@code (batch, x1..xD)}. */
  int[] row(int row) {
    int d = packer.dimension();
    long key = keys.get(row);
    int[] out = new int[d + 1];
    out[0] = packer.batchOf(key);
    for (int a = 0; a < d; a++) {
      out[1 + a] = packer.axisOf(key, a);
    }
    return out;
  }

  /** Every row unpacked into a heap copy. */
  Coordinates toCoordinates() {
    int d = packer.dimension();
    int w = d + 1;
    int n = size();
    int[] flat = new int[n * w];
    for (int r = 0; r < n; r++) {
      long key = keys.get(r);
      flat[r * w] = packer.batchOf(key);
      for (int a = 0; a < d; a++) {
        flat[r * w + 1 + a] = packer.axisOf(key, a);
      }
    }
    return Coordinates.adopt(d, flat);
  }

  /** Bytes held. */
  long bytes() {
    return keys.bytes();
  }

  @Override
  public void close() {
    keys.close();
  }
}
