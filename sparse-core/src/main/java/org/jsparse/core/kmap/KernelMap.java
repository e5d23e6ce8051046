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
  /** False for a view that shares another map's arrays ({@link #transposed}). */
  private final boolean ownsPairs;
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
    if (in.length() != out.length() || offsetStart[offsetStart.length - 1] != in.length()) {
      throw new IllegalArgumentException("inconsistent kernel map arrays");
    }
    this.offsetStart = offsetStart;
    this.in = in;
    this.out = out;
    this.inRows = inRows;
    this.outRows = outRows;
    this.mirrored = mirrored;
    this.ownsPairs = ownsPairs;
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
    return in.length();
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
    return in.get(p);
  }

  /** Output row of pair p. */
  public int outRow(int p) {
    return out.get(p);
  }

  /** Rows of the input map this kernel map was built for. */
  public int inRows() {
    return inRows;
  }

  /** Rows of the output map this kernel map was built for. */
  public int outRows() {
    return outRows;
  }

  /** The input rows of all pairs (native, read-only, valid while the map is open). */
  public NativeInts ins() {
    return in;
  }

  /** The output rows of all pairs (native, read-only, valid while the map is open). */
  public NativeInts outs() {
    return out;
  }

  /** A heap copy of the input rows of all pairs. */
  public int[] inRowsCopy() {
    return in.toArray(0, in.length());
  }

  /** A heap copy of the output rows of all pairs. */
  public int[] outRowsCopy() {
    return out.toArray(0, out.length());
  }

  /** The same pairs with input and output swapped (pairs then sorted by input row per offset); shares the arrays. */
  public KernelMap transposed() {
    return new KernelMap(offsetStart, out, in, outRows, inRows, false, false);
  }

  /** Bytes this map holds (without a cached input order). */
  public long bytes() {
    return 4L * offsetStart.length + pairBytes();
  }

  long pairBytes() {
    return in.bytes() + out.bytes();
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
  }

  @Override
  public String toString() {
    return "KernelMap[K=" + volume() + ", pairs=" + pairCount() + ", " + inRows + " -> " + outRows + " rows]";
  }
}
