package org.jsparse.core.kmap;

import java.util.stream.IntStream;
import org.jsparse.core.internal.CoordinatePacker;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.core.internal.NativeInts;
import org.jsparse.core.internal.NativeLongs;

/**
 * Pairs of a map onto itself without a hash table: the rows' packed keys are sorted once (LSD radix
 * sort in native memory), and for each offset the sorted keys are merged with themselves shifted by
 * that offset ({@code key + delta} is sorted too, and a key whose shifted axis leaves the packable
 * range is skipped, so no carry can reach another axis). Every step streams through memory, where
 * a hash lookup costs one cache miss per probe (most of a build's time). Each offset's matches are
 * then laid out by output row. Offsets are independent and each is computed whole by one worker,
 * so the result does not depend on the thread count.
 */
final class SortedKeyMerge {
  private static final int RADIX_BITS = 8;

  private SortedKeyMerge() {}

  /** The rows of a coordinate table sorted by packed key, counted as WORKSPACE until closed. */
  static final class Sorted implements AutoCloseable {
    private final CoordinatePacker packer;
    private final NativeLongs keys;
    private final NativeInts rows;
    private final int n;
    private final Allocation bytes;
    /** Smallest and largest key field per spatial axis over all rows. */
    private final long[] fieldMin;
    private final long[] fieldMax;

    Sorted(CoordinatePacker packer, CoordinateTable coords, MemoryLedger ledger) {
      this.packer = packer;
      this.n = coords.size();
      Allocation sorting = ledger.acquire(MemoryCategory.WORKSPACE, 24L * n, "kernel map build");
      NativeLongs k = new NativeLongs(n);
      NativeInts r = new NativeInts(n);
      int d = packer.dimension();
      long mask = (1L << packer.axisBits()) - 1;
      fieldMin = new long[d];
      fieldMax = new long[d];
      java.util.Arrays.fill(fieldMin, Long.MAX_VALUE);
      java.util.Arrays.fill(fieldMax, Long.MIN_VALUE);
      for (int i = 0; i < n; i++) {
        long key = coords.key(i);
        k.set(i, key);
        r.set(i, i);
        for (int a = 0; a < d; a++) {
          long f = (key >>> packer.shift(a)) & mask;
          fieldMin[a] = Math.min(fieldMin[a], f);
          fieldMax[a] = Math.max(fieldMax[a], f);
        }
      }
      NativeLongs k2 = new NativeLongs(n);
      NativeInts r2 = new NativeInts(n);
      boolean swapped = radixSort(k, r, k2, r2);
      this.keys = swapped ? k2 : k;
      this.rows = swapped ? r2 : r;
      (swapped ? k : k2).close();
      (swapped ? r : r2).close();
      this.bytes = ledger.acquire(MemoryCategory.WORKSPACE, 12L * n, "kernel map build");
      sorting.close();
    }

    /** LSD radix sort of (key, row) by key (keys are non-negative); true when the result is in the second pair. */
    private boolean radixSort(NativeLongs k, NativeInts r, NativeLongs k2, NativeInts r2) {
      NativeLongs srcK = k;
      NativeInts srcR = r;
      NativeLongs dstK = k2;
      NativeInts dstR = r2;
      boolean swapped = false;
      int buckets = 1 << RADIX_BITS;
      int[] count = new int[buckets + 1];
      for (int shift = 0; shift < 63; shift += RADIX_BITS) {
        java.util.Arrays.fill(count, 0);
        for (int i = 0; i < n; i++) {
          count[(int) ((srcK.get(i) >>> shift) & (buckets - 1)) + 1]++;
        }
        boolean oneBucket = false;
        for (int b = 1; b <= buckets; b++) {
          if (count[b] == n) {
            oneBucket = true;
          }
          count[b] += count[b - 1];
        }
        if (oneBucket) {
          continue; // every key has this digit: the pass would not move anything
        }
        for (int i = 0; i < n; i++) {
          long key = srcK.get(i);
          int at = count[(int) ((key >>> shift) & (buckets - 1))]++;
          dstK.set(at, key);
          dstR.set(at, srcR.get(i));
        }
        NativeLongs tk = srcK;
        srcK = dstK;
        dstK = tk;
        NativeInts tr = srcR;
        srcR = dstR;
        dstR = tr;
        swapped = !swapped;
      }
      return swapped;
    }

    /**
     * The pairs (in, out) of rows with {@code in = out + sign * offset} (the offset's {@code shift}):
     * counts them ({@code ins} null) or also writes them from {@code at} on, sorted by output row,
     * using {@code mark} (n ints) as scratch. Returns the count.
     */
    int pairs(Shift shift, NativeInts mark, NativeInts ins, NativeInts outs, int at) {
      long mask = (1L << packer.axisBits()) - 1;
      if (ins != null) {
        mark.fill(-1);
      }
      int found = 0;
      int j = 0;
      for (int i = 0; i < n; i++) {
        long key = keys.get(i);
        if (!shift.allInRange() && !inRange(key, packer, shift.lo(), shift.hi(), mask)) {
          continue;
        }
        long q = key + shift.delta();
        while (j < n && keys.get(j) < q) {
          j++;
        }
        if (j < n && keys.get(j) == q) {
          found++;
          if (ins != null) {
            mark.set(rows.get(i), rows.get(j));
          }
        }
      }
      if (ins != null) {
        int p = at;
        for (int o = 0; o < n; o++) {
          int in = mark.get(o);
          if (in >= 0) {
            ins.set(p, in);
            outs.set(p++, o);
          }
        }
      }
      return found;
    }

    /**
     * What merging one offset needs: the key delta, the per-axis field range {@code [lo, hi]} a key
     * must lie in for {@code field + offset} to stay packable, and whether every row does (rows far
     * from the packable border, the usual case, then need no per-row check).
     */
    record Shift(long delta, long[] lo, long[] hi, boolean allInRange) {}

    Shift shift(int[] offset, int sign) {
      int d = packer.dimension();
      long delta = 0;
      long mask = (1L << packer.axisBits()) - 1;
      long[] lo = new long[d];
      long[] hi = new long[d];
      boolean allInRange = true;
      for (int a = 0; a < d; a++) {
        long o = (long) sign * offset[a];
        delta += o << packer.shift(a);
        lo[a] = Math.max(0, -o);
        hi[a] = Math.min(mask, mask - o);
        allInRange &= fieldMin[a] >= lo[a] && fieldMax[a] <= hi[a];
      }
      return new Shift(delta, lo, hi, allInRange);
    }

    /** {@link #shift} of every offset. */
    Shift[] shifts(int[][] offsets, int sign) {
      Shift[] s = new Shift[offsets.length];
      for (int k = 0; k < offsets.length; k++) {
        s[k] = shift(offsets[k], sign);
      }
      return s;
    }

    /**
     * The pairs (in, out) of one offset ({@code shift}) whose outputs are the rows at sorted
     * positions {@code [from, to)}: {@code slot[m]} = the output's position minus {@code from}
     * (ascending), {@code in[m]} = the input row. Returns the count. The shifted keys of consecutive
     * positions ascend, so one binary search starts a merge over the tile. Allocates nothing: it runs
     * for every tile and offset of a convolution.
     */
    int tilePairs(Shift shift, int from, int to, int[] slot, int[] in) {
      long mask = (1L << packer.axisBits()) - 1;
      int found = 0;
      int j = -1;
      for (int i = from; i < to; i++) {
        long key = keys.get(i);
        if (!shift.allInRange() && !inRange(key, packer, shift.lo(), shift.hi(), mask)) {
          continue;
        }
        long q = key + shift.delta();
        if (j < 0) {
          j = firstAtLeast(q);
        }
        while (j < n && keys.get(j) < q) {
          j++;
        }
        if (j < n && keys.get(j) == q) {
          slot[found] = i - from;
          in[found++] = rows.get(j);
        }
      }
      return found;
    }

    private static boolean inRange(long key, CoordinatePacker packer, long[] lo, long[] hi, long mask) {
      for (int a = 0; a < lo.length; a++) {
        long field = (key >>> packer.shift(a)) & mask;
        if (field < lo[a] || field > hi[a]) {
          return false;
        }
      }
      return true;
    }

    private int firstAtLeast(long key) {
      int lo = 0;
      int hi = n;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (keys.get(mid) < key) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    /** True when the rows already are in key order (sites in raster order): sorting moved nothing. */
    boolean rowsInKeyOrder() {
      for (int i = 0; i < n; i++) {
        if (rows.get(i) != i) {
          return false;
        }
      }
      return true;
    }

    /** Bytes of the sorted keys and rows. */
    long bytes() {
      return 12L * n;
    }

    /** Stops counting the sorted rows as WORKSPACE: a streamed map holds them, counted as its own bytes. */
    void countedByMap() {
      bytes.close();
    }

    @Override
    public void close() {
      keys.close();
      rows.close();
      bytes.close();
    }
  }

  /** The pairs of a streamed map: each offset merged from the sorted rows whenever an op asks for it. */
  private record StreamedPairs(Sorted sorted, Sorted.Shift[] shifts) implements KernelMap.PairSource {
    @Override
    public void write(int k, NativeInts mark, NativeInts ins, NativeInts outs, int at) {
      sorted.pairs(shifts[k], mark, ins, outs, at);
    }

    @Override
    public int tilePairs(int k, int lo, int hi, int[] slot, int[] in) {
      return sorted.tilePairs(shifts[k], lo, hi, slot, in);
    }

    @Override
    public NativeInts rowOrder() {
      return sorted.rows;
    }

    @Override
    public long bytes() {
      return sorted.bytes();
    }

    @Override
    public void close() {
      sorted.close();
    }
  }

  /**
   * A mirrored map of {@code coords} onto itself for a symmetric region's {@code offsets} (offset
   * K-1-k is minus offset k; the centre is zero). Stored compact (offsets 0..K/2: the first half,
   * then the centre, every row with itself) unless those pairs would take more than
   * {@code streamAboveBytes}, or the map is dense and its rows are not in key order (see
   * {@link CoordinateManager#streamKernelMapsAbove}): then streamed, holding only the sorted rows
   * (12 bytes a row) and merging each offset again when an op expands it or reads a tile of it.
   */
  static KernelMap mirroredMap(CoordinatePacker packer, CoordinateTable coords, int[][] offsets, int sign,
      long streamAboveBytes, MemoryLedger ledger) {
    int n = coords.size();
    int volume = offsets.length;
    int half = volume / 2;
    Sorted sorted = new Sorted(packer, coords, ledger);
    boolean streamed = false;
    try {
      Sorted.Shift[] shifts = sorted.shifts(offsets, sign);
      int[] halfSize = new int[half];
      int workers = Math.max(1, Math.min(half, Runtime.getRuntime().availableProcessors()));
      IntStream.range(0, half).parallel().forEach(k -> halfSize[k] = sorted.pairs(shifts[k], null, null, null, 0));
      int[] start = new int[volume + 1];
      for (int k = 0; k < volume; k++) {
        int size = k < half ? halfSize[k] : k == half ? n : halfSize[volume - 1 - k];
        start[k + 1] = start[k] + size;
      }
      int stored = start[half + 1];
      boolean denseOutOfKeyOrder = streamAboveBytes != Long.MAX_VALUE
          && KernelMap.fillsMostSlots(start[volume], n, volume) && !sorted.rowsInKeyOrder();
      if (8L * stored > streamAboveBytes || denseOutOfKeyOrder) {
        streamed = true;
        sorted.countedByMap();
        return KernelMap.streamed(start, new StreamedPairs(sorted, shifts), n);
      }
      NativeInts ins = new NativeInts(stored);
      NativeInts outs = new NativeInts(stored);
      try (Allocation marks = ledger.acquire(MemoryCategory.WORKSPACE, 4L * n * workers, "kernel map build")) {
        IntStream.range(0, workers).parallel().forEach(w -> {
          try (NativeInts mark = new NativeInts(n)) {
            for (int k = w; k < half; k += workers) {
              sorted.pairs(shifts[k], mark, ins, outs, start[k]);
            }
          }
        });
      }
      for (int r = 0; r < n; r++) {
        ins.set(start[half] + r, r);
        outs.set(start[half] + r, r);
      }
      return KernelMap.compact(start, ins, outs, n);
    } finally {
      if (!streamed) {
        sorted.close();
      }
    }
  }
}
