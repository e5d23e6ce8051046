package org.jsparse.core.kmap;

import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.core.memory.NativeInts;

/**
 * The pairs of a sparse op in CSR form: for kernel offset k, pairs {@code p} in
 * {@code [offsetStart[k], offsetStart[k+1])} say "input row {@code in[p]} contributes to output row
 * {@code out[p]} through weight {@code W[k]}". Within one offset, input rows are distinct and
 * output rows are distinct. Maps built by the manager list each offset's pairs sorted by output row
 * ({@link PairOrder} restores that order for any map). Immutable. The pair arrays live in native
 * memory ({@link NativeInts}): the manager frees them when it drops the map, after which the map
 * must not be used (ops check).
 */
public final class KernelMap implements AutoCloseable {
  private final int[] offsetStart;
  private final NativeInts in;
  private final NativeInts out;
  private final int inRows;
  private final int outRows;
  private final boolean mirrored;
  /**
   * A mirrored map that stores only offsets {@code 0..K/2} (the first half and the centre); the
   * other half is the first half swapped, rebuilt for the duration of an op by {@link #expanded}.
   */
  private final boolean compact;
  /** False for a view that shares another map's arrays ({@link #transposed}). */
  private final boolean ownsPairs;
  /** Counts an expanded copy's bytes as WORKSPACE until it is closed; null otherwise. */
  private Allocation expansionBytes;
  private KernelMap inputOrder;
  private Allocation inputOrderBytes;

  /** A map on native copies of the arrays. */
  public KernelMap(int[] offsetStart, int[] in, int[] out, int inRows, int outRows) {
    this(offsetStart, NativeInts.of(in), NativeInts.of(out), inRows, outRows, false, true);
    if (in.length != out.length) {
      throw new IllegalArgumentException("inconsistent kernel map arrays");
    }
  }

  /**
   * Takes the native arrays over. With {@code mirrored}: a map of a map onto itself whose offset
   * K-1-k pairs (o, i) exactly when offset k pairs (i, o) (a submanifold map of a symmetric region),
   * so that its transpose is itself with the offsets reversed and the backward pass needs no second
   * order.
   */
  KernelMap(int[] offsetStart, NativeInts in, NativeInts out, int inRows, int outRows, boolean mirrored,
      boolean ownsPairs) {
    this(offsetStart, in, out, inRows, outRows, mirrored, ownsPairs, false);
  }

  /** With {@code compact}: a mirrored map holding offsets 0..K/2 only (see {@link #expanded}). */
  KernelMap(int[] offsetStart, NativeInts in, NativeInts out, int inRows, int outRows, boolean mirrored,
      boolean ownsPairs, boolean compact) {
    int stored = compact ? offsetStart[(offsetStart.length - 1) / 2 + 1] : offsetStart[offsetStart.length - 1];
    if (in.length() != out.length() || stored != in.length() || (compact && !mirrored)) {
      throw new IllegalArgumentException("inconsistent kernel map arrays");
    }
    this.compact = compact;
    this.offsetStart = offsetStart;
    this.in = in;
    this.out = out;
    this.inRows = inRows;
    this.outRows = outRows;
    this.mirrored = mirrored;
    this.ownsPairs = ownsPairs;
  }

  /** True when this map stores only its first half and centre (see {@link #expanded}). */
  public boolean isCompact() {
    return compact;
  }

  /**
   * The map with every offset's pairs in place: this map, or for a compact mirrored map a full copy
   * built now (offset K-1-k is offset k with input and output swapped, re-sorted by output row with
   * a counting sort), counted as WORKSPACE in {@code ledger} (when not null) until the caller closes
   * it. Ops expand a compact map for as long as they run, so only one map at a time is held in full.
   */
  public KernelMap expanded(MemoryLedger ledger) {
    checkOpen();
    if (!compact) {
      return this;
    }
    int volume = volume();
    int half = volume / 2;
    int n = inRows;
    int total = offsetStart[volume];
    NativeInts fullIn = new NativeInts(total);
    NativeInts fullOut = new NativeInts(total);
    int stored = in.length();
    fullIn.copyFrom(in, 0, 0, stored);
    fullOut.copyFrom(out, 0, 0, stored);
    int workers = Math.max(1, Math.min(half, Runtime.getRuntime().availableProcessors()));
    java.util.stream.IntStream.range(0, workers).parallel().forEach(w -> {
      int[] partner = new int[n];
      for (int m = w; m < half; m += workers) {
        java.util.Arrays.fill(partner, -1);
        for (int p = offsetStart[m]; p < offsetStart[m + 1]; p++) {
          partner[in.get(p)] = out.get(p); // input rows are distinct within one offset
        }
        int q = offsetStart[volume - 1 - m];
        for (int r = 0; r < n; r++) {
          if (partner[r] >= 0) {
            fullIn.set(q, partner[r]);
            fullOut.set(q++, r);
          }
        }
      }
    });
    KernelMap full = new KernelMap(offsetStart, fullIn, fullOut, inRows, outRows, true, true, false);
    if (ledger != null) {
      full.expansionBytes = ledger.acquire(MemoryCategory.WORKSPACE, full.pairBytes(), "kernel map, expanded");
    }
    return full;
  }

  /** True when the transpose of offset k is offset K-1-k of this map (see the constructor). */
  public boolean isMirrored() {
    return mirrored;
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

  /** Input row of pair p (of a compact map: p in the stored first half and centre only). */
  public int inRow(int p) {
    checkStored(p);
    return in.get(p);
  }

  /** Output row of pair p (of a compact map: p in the stored first half and centre only). */
  public int outRow(int p) {
    checkStored(p);
    return out.get(p);
  }

  private void checkStored(int p) {
    checkOpen();
    if (p < 0 || p >= in.length()) {
      throw new IndexOutOfBoundsException("pair " + p + " of " + in.length() + " stored"
          + (compact ? " (a compact mirrored map: call expanded() for the second half)" : ""));
    }
  }

  /** Rows of the input map this kernel map was built for. */
  public int inRows() {
    return inRows;
  }

  /** Rows of the output map this kernel map was built for. */
  public int outRows() {
    return outRows;
  }

  /** The input rows of all pairs (native, read-only, valid while the map is open); expand a compact map first. */
  public NativeInts ins() {
    requireFull();
    return in;
  }

  /** The output rows of all pairs (native, read-only, valid while the map is open); expand a compact map first. */
  public NativeInts outs() {
    requireFull();
    return out;
  }

  private void requireFull() {
    if (compact) {
      throw new IllegalStateException("a compact mirrored map holds half its pairs; use expanded(ledger)");
    }
  }

  /** A heap copy of the input rows of all pairs. */
  public int[] inRowsCopy() {
    requireFull();
    return in.toArray(0, in.length());
  }

  /** A heap copy of the output rows of all pairs. */
  public int[] outRowsCopy() {
    requireFull();
    return out.toArray(0, out.length());
  }

  /** The same pairs with input and output swapped (pairs then sorted by input row per offset); shares the arrays. */
  public KernelMap transposed() {
    requireFull();
    return new KernelMap(offsetStart, out, in, outRows, inRows, false, false);
  }

  /** Bytes this map holds (without a cached input order). */
  public long bytes() {
    return 4L * offsetStart.length + pairBytes();
  }

  long pairBytes() {
    return in.bytes() + out.bytes();
  }

  /** True once the map's pairs were freed. */
  public boolean isClosed() {
    return in.isClosed();
  }

  /** Fails when the map's memory was freed. */
  public void checkOpen() {
    in.checkOpen();
  }

  /** Frees the pairs and any cached input order (a view frees nothing). */
  @Override
  public synchronized void close() {
    if (inputOrder != null) {
      inputOrder.close();
      inputOrderBytes.close();
      inputOrder = null;
    }
    if (ownsPairs) {
      in.close();
      out.close();
    }
    if (expansionBytes != null) {
      expansionBytes.close();
      expansionBytes = null;
    }
  }

  @Override
  public String toString() {
    return "KernelMap[K=" + volume() + ", pairs=" + pairCount() + (compact ? " (half stored)" : "") + ", " + inRows
        + " -> " + outRows + " rows]";
  }
}
