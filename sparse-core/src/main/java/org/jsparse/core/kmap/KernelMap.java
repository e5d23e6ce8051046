package org.jsparse.core.kmap;

import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.core.internal.NativeInts;

/**
 * The pairs of a sparse op in CSR form: for kernel offset k, pairs {@code p} in
 * {@code [offsetStart[k], offsetStart[k+1])} say "input row {@code in[p]} contributes to output row
 * {@code out[p]} through weight {@code W[k]}". Within one offset, input rows are distinct and
 * output rows are distinct. Maps built by the manager list each offset's pairs sorted by output row
 * ({@link PairOrder} restores that order for any map). Immutable.
 *
 * <p>Storage: the pair arrays live in native memory ({@link NativeInts}), freed when the manager
 * drops the map (ops check it is open). A submanifold map of a symmetric region is <em>mirrored</em>
 * (offset K-1-k holds offset k's pairs swapped) and is stored <em>compact</em>: offsets 0..K/2 only.
 * An op asks for {@link #expanded} and gets a map whose offsets past K/2 come from a second array
 * built for that op; kernels read each offset's arrays with {@link #insOf}/{@link #outsOf}. A large
 * mirrored map, or a dense one whose rows are not in key order, may be <em>streamed</em>: it stores
 * no pairs at all, only the rows sorted by key, and every offset is merged again when an op expands
 * it or reads a tile of it ({@link #isStreamed}, {@link #tiles}).
 */
public final class KernelMap implements AutoCloseable {
  private final int[] offsetStart;
  /** Offsets {@code [0, split)}, indexed by pair number. */
  private final NativeInts in;
  private final NativeInts out;
  /** Offsets {@code [split, K)}, indexed by pair number minus {@code offsetStart[split]}; null when split = K. */
  private final NativeInts in2;
  private final NativeInts out2;
  /** {@code in2}/{@code out2} read with whole-map pair numbers (made once, not per kernel call). */
  private final NativeInts in2Rebased;
  private final NativeInts out2Rebased;
  private final int split;
  /** Offsets {@code in2}/{@code out2} hold: {@code [split, K)}, or a part of it for a partial expansion. */
  private final int secondFrom;
  private final int secondTo;
  private final int inRows;
  private final int outRows;
  private final boolean mirrored;
  private final boolean compact;
  /** False for a view that shares another map's arrays. */
  private final boolean ownsPairs;
  /** Counts an expansion's second arrays as WORKSPACE until it is freed; null otherwise. */
  private Allocation expansionBytes;
  /** Of a compact map: its live expansion, shared by every op that holds a lease on it. */
  private KernelMap expansion;
  private int leases;
  /** Of an expansion: the compact map it was leased from. */
  private KernelMap leasedFrom;
  /** Of a partial expansion: the compact map it extends (closing the part frees only the part). */
  private KernelMap partOf;
  private KernelMap inputOrder;
  private Allocation inputOrderBytes;
  /** Of a compact map: whether {@link #mirrorsReadableInPlace} holds; null until first asked. */
  private Boolean storedInputsRise;
  /** Of a streamed map: what writes any offset's pairs on demand; null for a map that stores them. */
  private PairSource source;

  /** Writes the pairs of one offset of a streamed map, sorted by output row. */
  interface PairSource extends AutoCloseable {
    /** Writes offset k's pairs to {@code ins}/{@code outs} from index {@code at} on, with {@code mark} (rows ints) as scratch. */
    void write(int k, NativeInts mark, NativeInts ins, NativeInts outs, int at);

    /**
     * Offset k's pairs for the rows at positions {@code [lo, hi)} of {@link #rowOrder} as outputs:
     * writes {@code slot[m]} (the output's position minus {@code lo}, ascending) and {@code in[m]}
     * (the input row) for each and returns how many there are (at most {@code hi - lo}).
     */
    int tilePairs(int k, int lo, int hi, int[] slot, int[] in);

    /** The rows in the order tiles of {@link #tilePairs} take them (their key order). */
    NativeInts rowOrder();

    /** Bytes the source holds. */
    long bytes();

    @Override
    void close();
  }

  /**
   * A map on native copies of the arrays: offset k's pairs are {@code (in[p], out[p])} for
   * {@code offsetStart[k] <= p < offsetStart[k+1]}. Checked, since kernels read rows by these
   * indices without bounds checks: the starts rise from 0 to the pair count, every input row is in
   * {@code [0, inRows)} and every output row in {@code [0, outRows)}.
   */
  public KernelMap(int[] offsetStart, int[] in, int[] out, int inRows, int outRows) {
    this(UserPairs.checkedStarts(offsetStart, in, out), NativeInts.of(UserPairs.checkedRows(in, inRows, "input")),
        NativeInts.of(UserPairs.checkedRows(out, outRows, "output")), inRows, outRows, false, true);
  }

  /**
   * Takes the native arrays over. With {@code mirrored}: a map of a map onto itself whose offset
   * K-1-k pairs (o, i) exactly when offset k pairs (i, o) (a submanifold map of a symmetric region),
   * so that its transpose is itself with the offsets reversed and the backward pass needs no second
   * order.
   */
  KernelMap(int[] offsetStart, NativeInts in, NativeInts out, int inRows, int outRows, boolean mirrored,
      boolean ownsPairs) {
    this(offsetStart, in, out, null, null, offsetStart.length - 1, offsetStart.length - 1, offsetStart.length - 1,
        inRows, outRows, mirrored, false, ownsPairs);
  }

  /** A compact mirrored map: {@code in}/{@code out} hold offsets 0..K/2. */
  static KernelMap compact(int[] offsetStart, NativeInts in, NativeInts out, int rows) {
    int volume = offsetStart.length - 1;
    return new KernelMap(offsetStart, in, out, null, null, volume / 2 + 1, volume, volume, rows, rows, true, true, true);
  }

  /** A streamed mirrored map: no pairs stored, {@code source} writes each offset's pairs when an op expands it. */
  static KernelMap streamed(int[] offsetStart, PairSource source, int rows) {
    int volume = offsetStart.length - 1;
    KernelMap m = new KernelMap(offsetStart, new NativeInts(0), new NativeInts(0), null, null, 0, volume, volume, rows,
        rows, true, true, true);
    m.source = source;
    return m;
  }

  private KernelMap(int[] offsetStart, NativeInts in, NativeInts out, NativeInts in2, NativeInts out2, int split,
      int secondFrom, int secondTo, int inRows, int outRows, boolean mirrored, boolean compact, boolean ownsPairs) {
    if (in.length() != out.length() || offsetStart[split] != in.length() || (in2 == null) != (out2 == null)
        || (in2 != null && in2.length() != offsetStart[secondTo] - offsetStart[secondFrom]) || (compact && !mirrored)
        || secondFrom < split || secondTo < secondFrom) {
      throw new IllegalArgumentException("inconsistent kernel map arrays");
    }
    this.offsetStart = offsetStart;
    this.in = in;
    this.out = out;
    this.in2 = in2;
    this.out2 = out2;
    this.in2Rebased = in2 == null ? null : in2.rebased(offsetStart[secondFrom]);
    this.out2Rebased = out2 == null ? null : out2.rebased(offsetStart[secondFrom]);
    this.split = split;
    this.secondFrom = secondFrom;
    this.secondTo = secondTo;
    this.inRows = inRows;
    this.outRows = outRows;
    this.mirrored = mirrored;
    this.compact = compact;
    this.ownsPairs = ownsPairs;
  }

  /** True when the transpose of offset k is offset K-1-k of this map (see the constructor). */
  public boolean isMirrored() {
    return mirrored;
  }

  /** True when this map stores only offsets 0..K/2 (see {@link #expanded}). */
  public boolean isCompact() {
    return compact;
  }

  /**
   * The map with every offset readable: this map, or for a compact map one that shares its stored
   * half and adds the other half, built now (offset K-1-m is offset m with input and output swapped,
   * sorted by output row with a counting sort) and counted as WORKSPACE in {@code ledger} (when not
   * null) until the caller closes it. The expansion is a lease: callers that overlap share one (a
   * backward pass holds one across its input and weight gradients), and it is freed when the last
   * lease is closed. Ops expand a compact map only while they run.
   */
  public synchronized KernelMap expanded(MemoryLedger ledger) {
    checkOpen();
    if (!compact) {
      return this;
    }
    if (expansion == null) {
      expansion = expand(ledger);
      expansion.leasedFrom = this;
    }
    leases++;
    return expansion;
  }

  /** True when this map stores no pairs and merges each offset again whenever an op expands it. */
  public boolean isStreamed() {
    return source != null;
  }

  /** Offsets this compact map stores: {@code [0, storedOffsets())}; K for a map that stores all, 0 for a streamed one. */
  public int storedOffsets() {
    return compact ? split : volume();
  }

  /**
   * True for a compact map that stores its pairs and whose every stored offset has its input rows
   * rising with its output rows, as the submanifold map of sites in key (raster) order has. Then
   * the pairs of a mirrored offset K-1-k whose output rows lie in a range are the pairs of offset k
   * whose input rows lie in it, swapped: one contiguous run of the stored arrays, found by binary
   * search on {@link #insOf}, so a tiled kernel reads the other half in place instead of expanding
   * it. Checked once (one pass over the stored pairs) and remembered.
   */
  public synchronized boolean mirrorsReadableInPlace() {
    checkOpen();
    if (!compact || source != null) {
      return false;
    }
    if (storedInputsRise == null) {
      storedInputsRise = inputsRise();
    }
    return storedInputsRise;
  }

  private boolean inputsRise() {
    for (int k = 0; k < split; k++) {
      for (int p = offsetStart[k] + 1; p < offsetStart[k + 1]; p++) {
        if (in.get(p) <= in.get(p - 1)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Of a streamed map: what merges the pairs of any offset for a tile of rows taken in key order,
   * so that a tiled kernel needs no offset's pairs stored (null for a map that stores its pairs).
   * A tile's output rows are {@code tiles().rowOrder()} at the tile's positions, each row in exactly
   * one tile; every offset is readable, valid while the map is open.
   */
  public TileSource tiles() {
    checkOpen();
    return source == null ? null : new TileSource(source);
  }

  /** Pairs of a streamed map merged per tile of rows in key order (see {@link #tiles}). */
  public static final class TileSource {
    private final PairSource source;

    private TileSource(PairSource source) {
      this.source = source;
    }

    /** See {@link PairSource#tilePairs}: offset k's pairs whose outputs are the rows at positions [lo, hi). */
    public int pairs(int k, int lo, int hi, int[] slot, int[] in) {
      return source.tilePairs(k, lo, hi, slot, in);
    }

    /** Position -> row: the rows in the order tiles take them. */
    public NativeInts rowOrder() {
      return source.rowOrder();
    }
  }

  /** The live shared expansion of a compact map while some caller holds a lease on it, else null. */
  public synchronized KernelMap heldExpansion() {
    if (expansion != null) {
      leases++;
      return expansion;
    }
    return null;
  }

  /**
   * Part of a compact map's other half, for an op that walks the offsets in passes: a view whose
   * offsets {@code [0, storedOffsets())} and {@code [from, to)} are readable ({@code from >=
   * storedOffsets()}), the added pairs sorted by output row and counted as WORKSPACE in
   * {@code ledger} until the caller closes the view (which frees only the added part).
   */
  public synchronized KernelMap expandedPart(MemoryLedger ledger, int from, int to) {
    checkOpen();
    if (!compact || from < split || to > volume() || from >= to) {
      throw new IllegalArgumentException("expandedPart(" + from + ", " + to + ") of " + this);
    }
    KernelMap part = expand(ledger, from, to);
    part.partOf = this;
    return part;
  }

  /** A hold on this map's expansion for a span of several ops (nothing to hold for a full map). */
  public interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  /** Holds the expansion of a compact map until the lease is closed, so the ops in between share it. */
  public Lease lease(MemoryLedger ledger) {
    if (!compact) {
      return () -> { };
    }
    KernelMap held = expanded(ledger);
    return held::close;
  }

  private synchronized void releaseLease() {
    if (--leases == 0 && expansion != null) {
      expansion.freeSecondHalf();
      expansion = null;
    }
  }

  private KernelMap expand(MemoryLedger ledger) {
    return expand(ledger, split, volume());
  }

  /** A view whose offsets {@code [0, split)} and {@code [from, to)} (from >= split) are readable. */
  private KernelMap expand(MemoryLedger ledger, int from, int to) {
    int volume = volume();
    int n = inRows;
    int base = offsetStart[from];
    NativeInts mirrorIn = new NativeInts(offsetStart[to] - base);
    NativeInts mirrorOut = new NativeInts(offsetStart[to] - base);
    int workers = Math.max(1, Math.min(to - from, Runtime.getRuntime().availableProcessors()));
    java.util.stream.IntStream.range(0, workers).parallel().forEach(w -> {
      try (NativeInts partner = new NativeInts(n)) { // native scratch: an expansion leaves no heap garbage
        for (int k = from + w; k < to; k += workers) {
          if (source != null) {
            source.write(k, partner, mirrorIn, mirrorOut, offsetStart[k] - base);
            continue;
          }
          int m = volume - 1 - k;
          partner.fill(-1);
          for (int p = offsetStart[m]; p < offsetStart[m + 1]; p++) {
            partner.set(in.get(p), out.get(p)); // input rows are distinct within one offset
          }
          int q = offsetStart[k] - base;
          for (int r = 0; r < n; r++) {
            int o = partner.get(r);
            if (o >= 0) {
              mirrorIn.set(q, o);
              mirrorOut.set(q++, r);
            }
          }
        }
      }
    });
    KernelMap full = new KernelMap(offsetStart, in, out, mirrorIn, mirrorOut, split, from, to, inRows, outRows, true,
        false, false);
    if (ledger != null) {
      full.expansionBytes = ledger.acquire(MemoryCategory.WORKSPACE, mirrorIn.bytes() + mirrorOut.bytes(),
          "kernel map, expanded");
    }
    return full;
  }

  /**
   * The same pairs with each offset's sorted by output row (a stable counting sort): this map
   * itself when they already are, else a new map the caller closes. Output-ordered pairs let a
   * kernel add into each output row in one order, whatever the thread count.
   */
  public KernelMap sortedByOutput() {
    return PairOrder.sortedByOutput(this);
  }

  /**
   * The transpose with each offset's pairs sorted by its output (the original input row): the
   * order a backward-input pass walks. Built on first use, then kept with the map and counted as
   * KERNEL_MAPS in {@code ledger} until the manager drops the map.
   */
  public synchronized KernelMap inputOrder(MemoryLedger ledger) {
    checkOpen();
    if (inputOrder == null) {
      inputOrder = PairOrder.sortedByOutput(transposed());
      inputOrderBytes = ledger.acquire(MemoryCategory.KERNEL_MAPS, inputOrder.pairBytes(), "kernel map, input order");
    }
    return inputOrder;
  }

  /**
   * True when at least 60 % of the {@code rows * K} slots of a map hold a pair (K > 1): dense
   * enough that the CPU convolution's implicit GEMM, which computes the empty slots too, beats
   * per-offset products, and that streaming such a map costs no time.
   */
  public static boolean fillsMostSlots(long pairs, long rows, int volume) {
    return volume > 1 && 5L * pairs >= 3L * rows * volume;
  }

  /** {@link #fillsMostSlots(long, long, int)} for this map (counted over its output rows). */
  public boolean fillsMostSlots() {
    return fillsMostSlots(pairCount(), outRows, volume());
  }

  /** Number of kernel offsets K. */
  public int volume() {
    return offsetStart.length - 1;
  }

  /** Total number of (in, out) pairs over all offsets. */
  public int pairCount() {
    return offsetStart[offsetStart.length - 1];
  }

  /** First pair index of offset k. */
  public int start(int k) {
    return offsetStart[k];
  }

  /** One past the last pair index of offset k. */
  public int end(int k) {
    return offsetStart[k + 1];
  }

  /** Number of pairs of offset k. */
  public int pairCount(int k) {
    return offsetStart[k + 1] - offsetStart[k];
  }

  /** Input row of pair p. */
  public int inRow(int p) {
    return part(p, true).get(p);
  }

  /** Output row of pair p. */
  public int outRow(int p) {
    return part(p, false).get(p);
  }

  private NativeInts part(int p, boolean input) {
    checkOpen();
    if (p < 0 || p >= pairCount()) {
      throw new IndexOutOfBoundsException("pair " + p + " of " + pairCount());
    }
    if (p < offsetStart[split]) {
      return input ? in : out;
    }
    if (in2 == null || p < offsetStart[secondFrom] || p >= offsetStart[secondTo]) {
      throw new IllegalStateException("a compact mirrored map holds offsets 0.." + (split - 1)
          + " only; read the others from expanded(ledger)");
    }
    return input ? in2Rebased : out2Rebased;
  }

  /** Input rows of offset k's pairs, indexed by pair number (native, read-only, valid while the map is open). */
  public NativeInts insOf(int k) {
    return k < split ? in : second(in2Rebased, k);
  }

  /** Output rows of offset k's pairs, indexed by pair number. */
  public NativeInts outsOf(int k) {
    return k < split ? out : second(out2Rebased, k);
  }

  private NativeInts second(NativeInts rebased, int k) {
    if (rebased == null || k < secondFrom || k >= secondTo) {
      throw new IllegalStateException("offset " + k + " of a compact mirrored map: use expanded(ledger)");
    }
    return rebased;
  }

  /** Rows of the input map this kernel map was built for. */
  public int inRows() {
    return inRows;
  }

  /** Rows of the output map this kernel map was built for. */
  public int outRows() {
    return outRows;
  }

  /** The same pairs with input and output swapped (pairs then sorted by input row per offset); shares the arrays. */
  public KernelMap transposed() {
    if (compact) {
      throw new IllegalStateException("transpose the expanded map of a compact one");
    }
    return new KernelMap(offsetStart, out, in, out2, in2, split, secondFrom, secondTo, outRows, inRows, false, false,
        false);
  }

  /** Bytes this map holds (without a cached input order or an expansion). */
  public long bytes() {
    return 4L * offsetStart.length + pairBytes() + (source == null ? 0 : source.bytes());
  }

  long pairBytes() {
    return in.bytes() + out.bytes() + (in2 == null ? 0 : in2.bytes() + out2.bytes());
  }

  /** True once the map's pairs were freed. */
  public boolean isClosed() {
    return in.isClosed();
  }

  /** Fails when the map's memory was freed. */
  public void checkOpen() {
    in.checkOpen();
  }

  /** Frees the pairs (an expansion: gives its lease back) and any cached input order. */
  @Override
  public void close() {
    if (leasedFrom != null) {
      leasedFrom.releaseLease();
      return;
    }
    if (partOf != null) {
      if (!in2.isClosed()) {
        freeSecondHalf();
      }
      return;
    }
    closeOwned();
  }

  private synchronized void freeSecondHalf() {
    in2.close();
    out2.close();
    if (expansionBytes != null) {
      expansionBytes.close();
      expansionBytes = null;
    }
  }

  private synchronized void closeOwned() {
    if (expansion != null) {
      expansion.freeSecondHalf();
      expansion = null;
      leases = 0;
    }
    if (inputOrder != null) {
      inputOrder.close();
      inputOrderBytes.close();
      inputOrder = null;
    }
    if (ownsPairs) {
      in.close();
      out.close();
    }
    if (ownsPairs && in2 != null) {
      in2.close();
      out2.close();
    }
    if (source != null) {
      source.close();
    }
  }

  @Override
  public String toString() {
    return "KernelMap[K=" + volume() + ", pairs=" + pairCount() + (source != null ? " (streamed)" : compact ? " (half stored)" : "") + ", " + inRows
        + " -> " + outRows + " rows]";
  }
}
