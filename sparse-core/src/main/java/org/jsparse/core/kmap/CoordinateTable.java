package org.jsparse.core.kmap;

import org.jsparse.core.internal.CoordinatePacker;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.internal.NativeLongs;

/**
 * The rows of one coordinate map as packed keys in native memory, 8 bytes a row (half of the
 * {@code (1+D)} ints of a {@link Coordinates} at D=3, and nothing on the Java heap for the GC to
 * hold on to). Row r's key is {@code packer.pack(row r)}; keys are unique. Owned by its map and
 * closed with it; users get {@link Coordinates} copies.
 */
final class CoordinateTable implements AutoCloseable {
  private final CoordinatePacker packer;
  private final NativeLongs keys;
  /** Largest batch index + 1, found on first use (-1 until then); read under the manager's lock. */
  private int batches = -1;

  /** Takes {@code keys} over: the caller must not write or close them again. */
  CoordinateTable(CoordinatePacker packer, NativeLongs keys) {
    this.packer = packer;
    this.keys = keys;
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

  /** Row {@code row} as {@code (batch, x1..xD)}. */
  int[] row(int row) {
    int[] out = new int[packer.dimension() + 1];
    packer.unpack(keys.get(row), out, 0);
    return out;
  }

  /** Every row unpacked into a heap copy. */
  Coordinates toCoordinates() {
    int[] flat = new int[size() * (packer.dimension() + 1)];
    for (int r = 0; r < size(); r++) {
      packer.unpack(keys.get(r), flat, r);
    }
    return Coordinates.adopt(packer.dimension(), flat);
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
