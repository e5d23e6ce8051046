package org.jsparse.core.kmap;

import java.util.Arrays;
import java.util.List;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.internal.CoordinateHash;
import org.jsparse.core.internal.RowHash;
import org.jsparse.core.internal.WideRows;

/**
 * {@link DerivedMaps} for wide tables: the same maps in the same row order,
 * computed on coordinate rows as they are (any int32 value), deduplicated through a
 * {@link RowHash}. Arithmetic is exact: a strided floor or a generative offset that leaves the
 * int32 range is refused with the row that did; a neighbour beyond it simply does not exist.
 */
final class WideMaps {
  private WideMaps() {}

  /** Every row floored to a multiple of {@code outStride} (toward minus infinity), unique, in order of first appearance. */
  static DerivedMaps.Built strided(CoordinateTable src, TensorStride outStride) {
    int d = outStride.dimension();
    return collect(src.size(), d, 1, (r, k, row) -> {
      src.read(r, row, 0);
      for (int a = 0; a < d; a++) {
        int t = outStride.get(a);
        long floored = (long) Math.floorDiv(row[1 + a], t) * t;
        row[1 + a] = checkedInt(floored, a, src, r, outStride);
      }
    });
  }

  /** Every {@code c + offset}, unique, ordered by source row then offset. */
  static DerivedMaps.Built generated(CoordinateTable src, int[][] offsets, int d) {
    return collect(src.size(), d, offsets.length, (r, k, row) -> {
      src.read(r, row, 0);
      for (int a = 0; a < d; a++) {
        row[1 + a] = checkedInt((long) row[1 + a] + offsets[k][a], a, src, r, offsets[k]);
      }
    });
  }

  /** {@code v} as an int, or a refusal naming source row {@code r} and what moved it ({@code how}: an offset or a tensor stride). */
  private static int checkedInt(long v, int axis, CoordinateTable src, int r, Object how) {
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      String what = how instanceof int[] off ? "moved by offset " + Arrays.toString(off) : "floored to tensor stride " + how;
      throw new IllegalArgumentException("coordinate row " + Arrays.toString(src.row(r)) + " " + what
          + " leaves the int32 range on axis " + axis + " (" + v + "); keep coordinates a kernel's reach away from +-2^31");
    }
    return (int) v;
  }

  /** Writes candidate {@code k} of source row {@code r} into {@code row}. */
  private interface Candidate {
    void write(int r, int k, int[] row);
  }

  /** The unique candidates of {@code n} source rows x {@code perRow}, in order of first appearance. */
  private static DerivedMaps.Built collect(int n, int d, int perRow, Candidate candidate) {
    long expected = (long) n * perRow;
    if (expected > Integer.MAX_VALUE || CoordinateHash.capacityFor((int) expected) < 0) {
      throw new IllegalArgumentException("derived map of " + expected + " candidate rows is too large");
    }
    WideRows rows = new WideRows(d + 1, Math.min(n, (int) expected));
    RowHash hash = new RowHash(rows, (int) expected);
    int[] row = new int[d + 1];
    try {
      for (int r = 0; r < n; r++) {
        for (int k = 0; k < perRow; k++) {
          candidate.write(r, k, row);
          hash.putIfAbsent(row, 0);
        }
      }
    } catch (RuntimeException e) {
      hash.close();
      rows.close();
      throw e;
    }
    return finish(rows, hash);
  }

  /** The rows where {@code keep} is true, in order. */
  static DerivedMaps.Built pruned(CoordinateTable src, boolean[] keep, int d) {
    int kept = 0;
    for (boolean b : keep) {
      kept += b ? 1 : 0;
    }
    int[] sourceRows = new int[kept];
    WideRows rows = new WideRows(d + 1, kept);
    int[] row = new int[d + 1];
    for (int r = 0, j = 0; r < keep.length; r++) {
      if (keep[r]) {
        sourceRows[j++] = r;
        src.read(r, row, 0);
        rows.add(row, 0);
      }
    }
    CoordinateTable table = new CoordinateTable(rows);
    return new DerivedMaps.Built(table, SiteHash.ofUnique(table), sourceRows, null);
  }

  /** The first input's rows in order, then each later input's new rows in order. */
  static DerivedMaps.Built union(List<CoordinateTable> inputs, int d) {
    int total = inputs.stream().mapToInt(CoordinateTable::size).sum();
    WideRows rows = new WideRows(d + 1, total);
    RowHash hash = new RowHash(rows, total);
    int[][] rowMaps = new int[inputs.size()][];
    int[] row = new int[d + 1];
    for (int i = 0; i < inputs.size(); i++) {
      CoordinateTable t = inputs.get(i);
      rowMaps[i] = new int[t.size()];
      for (int r = 0; r < t.size(); r++) {
        t.read(r, row, 0);
        int existing = hash.putIfAbsent(row, 0);
        rowMaps[i][r] = existing < 0 ? rows.size() - 1 : existing;
      }
    }
    DerivedMaps.Built b = finish(rows, hash);
    return new DerivedMaps.Built(b.table(), b.hash(), null, rowMaps);
  }

  /** The row in {@code hash} of every row of {@code t}, or null as soon as one is not there. */
  static int[] rowsIn(RowHash hash, CoordinateTable t, int d) {
    int[] rows = new int[t.size()];
    int[] row = new int[d + 1];
    for (int r = 0; r < rows.length; r++) {
      t.read(r, row, 0);
      rows[r] = hash.find(row, 0);
      if (rows[r] < 0) {
        return null;
      }
    }
    return rows;
  }

  /** Adopts the rows; re-hashes when a hash sized for the rows kept would be smaller. */
  private static DerivedMaps.Built finish(WideRows rows, RowHash hash) {
    CoordinateTable table = new CoordinateTable(rows);
    if (CoordinateHash.capacityFor(table.size()) < hash.capacity()) {
      hash.close();
      return new DerivedMaps.Built(table, SiteHash.ofUnique(table), null, null);
    }
    return new DerivedMaps.Built(table, SiteHash.of(hash), null, null);
  }

  /**
   * The input rows of {@code out + sign * offset_k} for every offset of a chunk of output rows, from the
   * input's row hash: what {@link KernelMapBuilder} asks of a wide map. One per worker (it keeps
   * scratch rows).
   */
  static final class Neighbours implements KernelMapBuilder.Neighbours {
    private final CoordinateTable out;
    private final RowHash in;
    private final int[][] offsets;
    private final int sign;
    private final int[] row;
    private final int[] query;

    Neighbours(CoordinateTable out, RowHash in, int[][] offsets, int sign, int d) {
      this.out = out;
      this.in = in;
      this.offsets = offsets;
      this.sign = sign;
      this.row = new int[d + 1];
      this.query = new int[d + 1];
    }

    @Override
    public void find(int lo, int hi, int[] into) {
      for (int o = lo; o < hi; o++) {
        out.read(o, row, 0);
        query[0] = row[0];
        int at = (o - lo) * offsets.length;
        for (int k = 0; k < offsets.length; k++) {
          into[at + k] = inRange(k) ? in.find(query, 0) : -1;
        }
      }
    }

    /** Writes {@code row + sign * offset_k} into the query; false when it leaves int32 (no site there). */
    private boolean inRange(int k) {
      for (int a = 1; a < row.length; a++) {
        long v = (long) row[a] + (long) sign * offsets[k][a - 1];
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
          return false;
        }
        query[a] = (int) v;
      }
      return true;
    }
  }
}
