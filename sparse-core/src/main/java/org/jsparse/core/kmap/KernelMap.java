package org.jsparse.core.kmap;

/**
 * The pairs of a sparse op in CSR form: for kernel offset k, pairs {@code p} in
 * {@code [offsetStart[k], offsetStart[k+1])} say "input row {@code in[p]} contributes to output row
 * {@code out[p]} through weight {@code W[k]}". Within one offset, input rows are distinct and
 * output rows are distinct. Maps built by the manager list each offset's pairs sorted by output row
 * ({@link PairOrder} restores that order for any map). Immutable.
 */
public final class KernelMap {
  private final int[] offsetStart;
  private final int[] in;
  private final int[] out;
  private final int inRows;
  private final int outRows;
  private final boolean mirrored;
  private KernelMap inputOrder;
  private org.jsparse.core.memory.Allocation inputOrderBytes;

  /** Takes ownership of the arrays; callers must not modify them afterwards. */
  public KernelMap(int[] offsetStart, int[] in, int[] out, int inRows, int outRows) {
    this(offsetStart, in, out, inRows, outRows, false);
  }

  /**
   * With {@code mirrored}: a map of a map onto itself whose offset K-1-k pairs (o, i) exactly when
   * offset k pairs (i, o) (a submanifold map of a symmetric region), so that its transpose is
   * itself with the offsets reversed and the backward pass needs no second order.
   */
  KernelMap(int[] offsetStart, int[] in, int[] out, int inRows, int outRows, boolean mirrored) {
    if (in.length != out.length || offsetStart[offsetStart.length - 1] != in.length) {
      throw new IllegalArgumentException("inconsistent kernel map arrays");
    }
    this.offsetStart = offsetStart;
    this.in = in;
    this.out = out;
    this.inRows = inRows;
    this.outRows = outRows;
    this.mirrored = mirrored;
  }

  /** True when the transpose of offset k is offset K-1-k of this map (see the constructor). */
  public boolean isMirrored() {
    return mirrored;
  }

  /**
   * The transpose with each offset's pairs sorted by its output (the original input row): the
   * order a backward-input pass walks. Built on first use, then kept with the map and counted as
   * KERNEL_MAPS in {@code ledger} until the manager drops the map ({@link #releaseInputOrder}).
   */
  public synchronized KernelMap inputOrder(org.jsparse.core.memory.MemoryLedger ledger) {
    if (inputOrder == null) {
      inputOrder = PairOrder.sortedByOutput(transposed());
      inputOrderBytes = ledger.acquire(org.jsparse.core.memory.MemoryCategory.KERNEL_MAPS,
          4L * (inputOrder.in.length + inputOrder.out.length), "kernel map, input order");
    }
    return inputOrder;
  }

  /** Drops the cached input order and gives its bytes back. */
  synchronized void releaseInputOrder() {
    if (inputOrderBytes != null) {
      inputOrderBytes.close();
    }
    inputOrder = null;
    inputOrderBytes = null;
  }

  /** Number of kernel offsets K. */
  public int volume() {
    return offsetStart.length - 1;
  }

  /** Total number of (in, out) pairs over all offsets. */
  public int pairCount() {
    return in.length;
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
    return in[p];
  }

  /** Output row of pair p. */
  public int outRow(int p) {
    return out[p];
  }

  /** Rows of the input map this kernel map was built for. */
  public int inRows() {
    return inRows;
  }

  /** Rows of the output map this kernel map was built for. */
  public int outRows() {
    return outRows;
  }

  /** The input rows of all pairs, not copied: read-only. */
  public int[] sharedInRows() {
    return in;
  }

  /** The output rows of all pairs, not copied: read-only. */
  public int[] sharedOutRows() {
    return out;
  }

  /** The same pairs with input and output swapped (pairs then sorted by input row per offset). */
  public KernelMap transposed() {
    return new KernelMap(offsetStart, out, in, outRows, inRows);
  }

  /** Bytes this map holds. */
  public long bytes() {
    return 4L * (offsetStart.length + in.length + out.length);
  }

  @Override
  public String toString() {
    return "KernelMap[K=" + volume() + ", pairs=" + pairCount() + ", " + inRows + " -> " + outRows + " rows]";
  }
}
