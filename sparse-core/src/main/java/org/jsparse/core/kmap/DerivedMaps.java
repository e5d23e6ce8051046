package org.jsparse.core.kmap;

import java.util.List;
import org.jsparse.core.internal.CoordinateHash;
import org.jsparse.core.internal.CoordinatePacker;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.internal.NativeLongs;
import org.jsparse.core.backend.DeviceKernelMaps;
import org.jsparse.core.memory.MemoryLedger;

/**
 * The coordinate arithmetic of maps derived from other maps (strided, generated, pruned, union):
 * each returns the new unique rows as a key table and their hash. {@link CoordinateManager} does
 * the bookkeeping (keys, caching, accounting).
 */
final class DerivedMaps {
  private DerivedMaps() {}

  /**
   * A derived map.
   *
   * @param table the rows
   * @param hash coordinate to row, or null where the build needed none (the manager makes it on first lookup)
   * @param sourceRows for pruning: the source row of each row; else null
   * @param rowMaps for a union: {@code rowMaps[i][r]} is the row of input i's row r; else null
   */
  record Built(CoordinateTable table, SiteHash hash, int[] sourceRows, int[][] rowMaps) {}

  /** Every row floored to a multiple of {@code outStride} (toward minus infinity), unique, in order of first appearance. */
  static Built strided(CoordinatePacker packer, CoordinateTable src, TensorStride outStride) {
    int n = src.size();
    int[] row = new int[packer.dimension() + 1];
    CoordinateHash hash = new CoordinateHash(n);
    int rows = 0;
    try {
      for (int r = 0; r < n; r++) {
        if (hash.putIfAbsent(floored(packer, src.key(r), outStride, row), rows) < 0) {
          rows++;
        }
      }
    } catch (RuntimeException e) {
      hash.close();
      throw e;
    }
    // second pass: the rows in order of first appearance, written once into a table of the exact size
    NativeLongs out = new NativeLongs(rows);
    int next = 0;
    for (int r = 0; r < n && next < rows; r++) {
      long key = floored(packer, src.key(r), outStride, row);
      if (hash.get(key) == next) {
        out.set(next++, key);
      }
    }
    return finish(packer, out, hash);
  }

  /**
   * {@link #strided} with the rows kept found by {@code device} (first appearances in row order, the
   * same rows): only they are floored here, and no host hash is built (the manager makes one on
   * first lookup). Null where there is no device, it declines, or the table is wide.
   */
  static Built stridedOnDevice(DeviceKernelMaps device, CoordinatePacker packer, CoordinateTable src,
      TensorStride outStride, MemoryLedger ledger) {
    if (device == null || src.isWide()) {
      return null;
    }
    int[] kept = device.stridedRows(src.keys(), packer.dimension(), packer.axisBits(), outStride.toArray(), ledger);
    if (kept == null) {
      return null;
    }
    int[] row = new int[packer.dimension() + 1];
    NativeLongs out = new NativeLongs(kept.length);
    int previous = -1;
    for (int j = 0; j < kept.length; j++) {
      if (kept[j] <= previous || kept[j] >= src.size()) {
        out.close();
        throw new IllegalStateException("a device's strided rows are not rising rows of the table at " + j);
      }
      previous = kept[j];
      out.set(j, floored(packer, src.key(kept[j]), outStride, row));
    }
    return new Built(new CoordinateTable(packer, out), null, null, null);
  }

  /** The key of a row floored to the stride (range-checked: flooring can leave the packable range). */
  private static long floored(CoordinatePacker packer, long key, TensorStride outStride, int[] row) {
    packer.unpack(key, row, 0);
    for (int a = 0; a < packer.dimension(); a++) {
      int t = outStride.get(a);
      row[1 + a] = Math.floorDiv(row[1 + a], t) * t;
    }
    return packer.pack(row, 0);
  }

  /**
   * Every {@code c + offset}, unique, ordered by source row then offset. {@code srcStride} is the
   * source's tensor stride: when the offsets tile one source cell exactly (the kernel is the
   * stride), every candidate is a distinct row by construction and no duplicate is looked for.
   */
  static Built generated(CoordinatePacker packer, CoordinateTable src, int[][] offsets, int[] srcStride) {
    int n = src.size();
    long capacity = (long) n * offsets.length;
    if (capacity > Integer.MAX_VALUE || CoordinateHash.capacityFor((int) capacity) < 0) { // more than one hash holds
      throw new IllegalArgumentException("generative output of " + capacity + " candidate rows is too large");
    }
    if (tilesOneCell(offsets, srcStride)) {
      return children(packer, src, offsets);
    }
    int[] row = new int[packer.dimension() + 1];
    CoordinateHash hash = new CoordinateHash((int) capacity);
    int rows = 0;
    try {
      for (int r = 0; r < n; r++) {
        for (int[] off : offsets) {
          if (hash.putIfAbsent(shifted(packer, src.key(r), off, row), rows) < 0) {
            rows++;
          }
        }
      }
    } catch (RuntimeException e) {
      hash.close();
      throw e;
    }
    NativeLongs out = new NativeLongs(rows);
    int next = 0;
    for (int r = 0; r < n && next < rows; r++) {
      for (int[] off : offsets) {
        long key = shifted(packer, src.key(r), off, row);
        if (hash.get(key) == next) {
          out.set(next++, key);
        }
      }
    }
    return finish(packer, out, hash);
  }

  /**
   * True when the offsets are each a point of {@code [0, stride)} on every axis and their number is
   * the cell's volume at their spacing: then {@code parent + offset} differ for every (parent, offset)
   * of parents on the stride's grid.
   */
  static boolean tilesOneCell(int[][] offsets, int[] stride) {
    long cells = 1;
    for (int a = 0; a < stride.length; a++) {
      int u = Integer.MAX_VALUE;
      for (int[] off : offsets) {
        if (off[a] < 0 || off[a] >= stride[a]) {
          return false;
        }
        if (off[a] > 0) {
          u = Math.min(u, off[a]);
        }
      }
      if (u != Integer.MAX_VALUE) {
        for (int[] off : offsets) {
          if (off[a] % u != 0) {
            return false;
          }
        }
        if (stride[a] % u != 0) {
          return false;
        }
        cells *= stride[a] / u;
      }
    }
    java.util.Set<java.util.List<Integer>> distinct = new java.util.HashSet<>();
    for (int[] off : offsets) {
      distinct.add(java.util.Arrays.stream(off).boxed().toList());
    }
    return distinct.size() == offsets.length && cells == offsets.length;
  }

  /**
   * {@link #generated} when no two candidates coincide: every parent's children in offset order,
   * and no hash (none was needed to find duplicates; the manager builds one if a lookup asks).
   */
  private static Built children(CoordinatePacker packer, CoordinateTable src, int[][] offsets) {
    int n = src.size();
    int volume = offsets.length;
    int[] row = new int[packer.dimension() + 1];
    long[] delta = new long[volume];
    for (int k = 0; k < volume; k++) {
      for (int a = 0; a < packer.dimension(); a++) {
        delta[k] += ((long) offsets[k][a]) << packer.shift(a);
      }
    }
    NativeLongs out = new NativeLongs(n * volume); // generated() checked that the product fits
    for (int r = 0; r < n; r++) {
      long key = src.key(r);
      for (int k = 0; k < volume; k++) {
        out.set((long) r * volume + k, inRange(packer, key, offsets[k]) ? key + delta[k]
            : shifted(packer, key, offsets[k], row)); // out of range: shifted says so
      }
    }
    return new Built(new CoordinateTable(packer, out), null, null, null);
  }

  private static boolean inRange(CoordinatePacker packer, long key, int[] off) {
    for (int a = 0; a < off.length; a++) {
      if (!packer.inRange(packer.axisOf(key, a) + off[a])) {
        return false;
      }
    }
    return true;
  }

  /** The key of a row moved by an offset (range-checked). */
  private static long shifted(CoordinatePacker packer, long key, int[] off, int[] row) {
    packer.unpack(key, row, 0);
    for (int a = 0; a < packer.dimension(); a++) {
      row[1 + a] += off[a];
    }
    return packer.pack(row, 0);
  }

  /** The rows where {@code keep} is true, in order; no hash (the manager builds one if a lookup asks). */
  static Built pruned(CoordinatePacker packer, CoordinateTable src, boolean[] keep) {
    int kept = 0;
    for (boolean b : keep) {
      kept += b ? 1 : 0;
    }
    int[] rows = new int[kept];
    NativeLongs out = new NativeLongs(kept);
    for (int r = 0, j = 0; r < keep.length; r++) {
      if (keep[r]) {
        rows[j] = r;
        out.set(j++, src.key(r));
      }
    }
    return new Built(new CoordinateTable(packer, out), null, rows, null);
  }

  /** The first input's rows in order, then each later input's new rows in order. */
  static Built union(CoordinatePacker packer, List<CoordinateTable> inputs) {
    int total = inputs.stream().mapToInt(CoordinateTable::size).sum();
    CoordinateHash hash = new CoordinateHash(total);
    int[][] rowMaps = new int[inputs.size()][];
    int rows = 0;
    for (int i = 0; i < inputs.size(); i++) {
      CoordinateTable t = inputs.get(i);
      rowMaps[i] = new int[t.size()];
      for (int r = 0; r < t.size(); r++) {
        int existing = hash.putIfAbsent(t.key(r), rows);
        rowMaps[i][r] = existing < 0 ? rows++ : existing;
      }
    }
    NativeLongs out = new NativeLongs(rows);
    int next = 0;
    for (int i = 0; i < inputs.size(); i++) {
      CoordinateTable t = inputs.get(i);
      for (int r = 0; r < rowMaps[i].length; r++) {
        if (rowMaps[i][r] == next) {
          out.set(next++, t.key(r));
        }
      }
    }
    Built b = finish(packer, out, hash);
    return new Built(b.table(), b.hash(), null, rowMaps);
  }

  /** The row in {@code hash} of every row of {@code t} (packed), or null as soon as one is not there. */
  static int[] rowsIn(CoordinateHash hash, CoordinateTable t) {
    int[] rows = new int[t.size()];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = hash.get(t.key(r));
      if (rows[r] < 0) {
        return null;
      }
    }
    return rows;
  }

  /** Adopts the exact key table; re-hashes when a table sized for the rows kept would be smaller. */
  private static Built finish(CoordinatePacker packer, NativeLongs out, CoordinateHash hash) {
    CoordinateTable table = new CoordinateTable(packer, out);
    if (CoordinateHash.capacityFor(table.size()) < hash.capacity()) {
      hash.close(); // sized for the candidates: a table sized for the rows kept is smaller
      return new Built(table, SiteHash.ofUnique(table), null, null);
    }
    return new Built(table, SiteHash.of(hash), null, null);
  }
}
