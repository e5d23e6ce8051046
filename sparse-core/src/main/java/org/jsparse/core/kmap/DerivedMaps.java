package org.jsparse.core.kmap;

import java.util.List;
import org.jsparse.core.coords.CoordinateHash;
import org.jsparse.core.coords.CoordinatePacker;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;

/**
 * The coordinate arithmetic of maps derived from other maps (strided, generated, pruned, union):
 * each returns the new unique coordinates and their hash. {@link CoordinateManager} does the
 * bookkeeping (keys, caching, accounting).
 */
final class DerivedMaps {
  private DerivedMaps() {}

  /**
   * A derived map.
   *
   * @param coordinates the rows
   * @param hash packed key to row
   * @param sourceRows for pruning: the source row of each row; else null
   * @param rowMaps for a union: {@code rowMaps[i][r]} is the row of input i's row r; else null
   */
  record Built(Coordinates coordinates, CoordinateHash hash, int[] sourceRows, int[][] rowMaps) {}

  /** Every row floored to a multiple of {@code outStride} (toward minus infinity), unique, in order of first appearance. */
  static Built strided(CoordinatePacker packer, Coordinates src, TensorStride outStride) {
    int d = packer.dimension();
    int w = d + 1;
    int n = src.size();
    int[] flat = src.sharedFlatView();
    int[] row = new int[w];
    CoordinateHash hash = new CoordinateHash(n);
    int rows = 0;
    for (int r = 0; r < n; r++) {
      floor(flat, r, outStride, row, d);
      if (hash.putIfAbsent(packer.pack(row, 0), rows) < 0) {
        rows++;
      }
    }
    // second pass: the rows in order of first appearance, written once into an array of the exact size
    int[] out = new int[rows * w];
    int next = 0;
    for (int r = 0; r < n && next < rows; r++) {
      floor(flat, r, outStride, row, d);
      if (hash.get(packer.pack(row, 0)) == next) {
        System.arraycopy(row, 0, out, next++ * w, w);
      }
    }
    return finish(packer, out, hash);
  }

  private static void floor(int[] flat, int r, TensorStride outStride, int[] row, int d) {
    int w = d + 1;
    row[0] = flat[r * w];
    for (int a = 0; a < d; a++) {
      int t = outStride.get(a);
      row[1 + a] = Math.floorDiv(flat[r * w + 1 + a], t) * t;
    }
  }

  /** Every {@code c + offset}, unique, ordered by source row then offset. */
  static Built generated(CoordinatePacker packer, Coordinates src, int[][] offsets) {
    int d = packer.dimension();
    int w = d + 1;
    int n = src.size();
    long capacity = (long) n * offsets.length;
    if (capacity * w > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("generative output of " + capacity + " candidate rows is too large");
    }
    int[] flat = src.sharedFlatView();
    int[] row = new int[w];
    CoordinateHash hash = new CoordinateHash((int) capacity);
    int rows = 0;
    for (int r = 0; r < n; r++) {
      for (int[] off : offsets) {
        shift(flat, r, off, row, d);
        if (hash.putIfAbsent(packer.pack(row, 0), rows) < 0) {
          rows++;
        }
      }
    }
    int[] out = new int[rows * w];
    int next = 0;
    for (int r = 0; r < n && next < rows; r++) {
      for (int[] off : offsets) {
        shift(flat, r, off, row, d);
        if (hash.get(packer.pack(row, 0)) == next) {
          System.arraycopy(row, 0, out, next++ * w, w);
        }
      }
    }
    return finish(packer, out, hash);
  }

  private static void shift(int[] flat, int r, int[] off, int[] row, int d) {
    int w = d + 1;
    row[0] = flat[r * w];
    for (int a = 0; a < d; a++) {
      row[1 + a] = flat[r * w + 1 + a] + off[a];
    }
  }

  /** The rows where {@code keep} is true, in order. */
  static Built pruned(CoordinatePacker packer, Coordinates src, boolean[] keep) {
    int w = packer.dimension() + 1;
    int kept = 0;
    for (boolean b : keep) {
      kept += b ? 1 : 0;
    }
    int[] rows = new int[kept];
    int[] flat = src.sharedFlatView();
    int[] out = new int[kept * w];
    for (int r = 0, j = 0; r < keep.length; r++) {
      if (keep[r]) {
        rows[j] = r;
        System.arraycopy(flat, r * w, out, j * w, w);
        j++;
      }
    }
    Coordinates coords = Coordinates.adopt(packer.dimension(), out);
    return new Built(coords, CoordinateMap.hashUnique(coords, packer), rows, null);
  }

  /** The first input's rows in order, then each later input's new rows in order. */
  static Built union(CoordinatePacker packer, List<Coordinates> inputs) {
    int w = packer.dimension() + 1;
    int total = inputs.stream().mapToInt(Coordinates::size).sum();
    CoordinateHash hash = new CoordinateHash(total);
    int[][] rowMaps = new int[inputs.size()][];
    int rows = 0;
    for (int i = 0; i < inputs.size(); i++) {
      Coordinates c = inputs.get(i);
      int[] flat = c.sharedFlatView();
      rowMaps[i] = new int[c.size()];
      for (int r = 0; r < c.size(); r++) {
        int existing = hash.putIfAbsent(packer.pack(flat, r), rows);
        rowMaps[i][r] = existing < 0 ? rows++ : existing;
      }
    }
    int[] out = new int[rows * w];
    int next = 0;
    for (int i = 0; i < inputs.size(); i++) {
      int[] flat = inputs.get(i).sharedFlatView();
      for (int r = 0; r < rowMaps[i].length; r++) {
        if (rowMaps[i][r] == next) {
          System.arraycopy(flat, r * w, out, next++ * w, w);
        }
      }
    }
    Built b = finish(packer, out, hash);
    return new Built(b.coordinates(), b.hash(), null, rowMaps);
  }

  /** The row in {@code hash} of every row of {@code c}, or null as soon as one is not there. */
  static int[] rowsIn(CoordinatePacker packer, CoordinateHash hash, Coordinates c) {
    int[] flat = c.sharedFlatView();
    int[] rows = new int[c.size()];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = hash.get(packer.pack(flat, r));
      if (rows[r] < 0) {
        return null;
      }
    }
    return rows;
  }

  /** Adopts the exact row array; re-hashes when a table sized for the rows kept would be smaller. */
  private static Built finish(CoordinatePacker packer, int[] out, CoordinateHash hash) {
    Coordinates coords = Coordinates.adopt(packer.dimension(), out);
    if (CoordinateHash.capacityFor(coords.size()) < hash.capacity()) {
      hash.close(); // sized for the candidates: a table sized for the rows kept is smaller
      return new Built(coords, CoordinateMap.hashUnique(coords, packer), null, null);
    }
    return new Built(coords, hash, null, null);
  }
}
