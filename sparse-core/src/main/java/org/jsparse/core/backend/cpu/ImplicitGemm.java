package org.jsparse.core.backend.cpu;

import org.bytedeco.javacpp.Pointer;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.core.internal.NativeInts;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Implicit-GEMM convolution: for a tile of output rows, the input rows of every offset are laid
 * side by side into one operand {@code A [tile, K*Cin]} (a missing neighbour leaves zeros). The
 * forward pass is then one GEMM {@code A W} with the weights as {@code [K*Cin, Cout]}, written to
 * the tile's output rows directly: no scatter, and one tall GEMM with a long inner dimension
 * instead of K skinny ones. The weight gradient is {@code A^T G} with the tile's output gradient
 * rows {@code G} read in place: one GEMM per tile whose inner dimension is the tile. Both compute
 * the zero slots too, so they pay off when the map is dense enough (see
 * {@link CpuConvolution#prefersImplicitGemm}). Deterministic: the tiling depends only on the
 * operand's width, and the weight gradient's per-task sums are added in task order.
 */
final class ImplicitGemm {
  /**
   * Bytes a tile's operand {@code A} may take. Each GEMM call packs the whole weight block again,
   * so tall tiles amortise it: on the CT bone at C = 64 (A of 1728 floats a row) tiles of 64 rows
   * (0.5 MiB, L2-sized) ran 1.2-1.4x slower than tiles of 150-256 rows; 1 to 4 MiB measured alike.
   */
  static final long OPERAND_BYTES = 2 << 20;
  /** Rows a parallel task of the forward pass covers. */
  private static final int TASK_ROWS = 4096;
  /** Rows a task of the weight gradient covers: each task holds its own partial gradient. */
  private static final int WEIGHT_TASK_ROWS = 16384;

  private ImplicitGemm() {}

  /** Output rows per tile for an operand {@code width} elements wide: 32 to 256, a multiple of 16. */
  static int tileRows(int width, int elementBytes) {
    long rows = OPERAND_BYTES / ((long) width * elementBytes);
    return (int) Math.max(32, Math.min(256, rows / 16 * 16));
  }

  /**
   * {@code dst[o] += sum_{k in [from, to)} src[in_k(o)] W[k]} with {@code w} as {@code [K*Cin, Cout]};
   * map sorted by output, offsets {@code [from, to)} readable.
   */
  static void accumulate(HostMatrix src, HostMatrix dst, HostMatrix w, KernelMap map, int from, int to,
      MemoryLedger ledger) {
    DataType type = src.dataType();
    int width = (to - from) * src.cols();
    int tile = tileRows(width, src.elementBytes());
    int tiles = ceilDiv(map.outRows(), tile);
    int perTask = Math.max(1, TASK_ROWS / tile);
    int tasks = ceilDiv(tiles, perTask);
    long taskBytes = (long) tile * (width + dst.cols()) * src.elementBytes();
    try (Allocation ws = ledger.acquire(MemoryCategory.WORKSPACE, workers(tasks) * taskBytes + w.bytes(),
        "implicit GEMM tiles"); Pointer weights = w.toPointer()) {
      map.checkOpen();
      BlasThreads.parallel(tasks, t -> {
        Tile scratch = new Tile(map, tile);
        try (Pointer a = Blas.allocate(type, (long) tile * width);
            Pointer product = Blas.allocate(type, (long) tile * dst.cols())) {
          for (int i = t * perTask; i < Math.min(tiles, (t + 1) * perTask); i++) {
            int lo = i * tile;
            int rows = Math.min(map.outRows(), lo + tile) - lo;
            scratch.gather(src, from, to, lo, rows, width, a);
            Blas.gemm(type, false, false, rows, dst.cols(), width, a, 0, width, weights,
                (long) from * src.cols() * dst.cols(), dst.cols(), 0.0, product, 0, dst.cols());
            if (scratch.order == null) {
              dst.addRange(product, lo, rows);
            } else {
              dst.addRowsFrom(product, rows, scratch.order, lo);
            }
          }
        }
      });
    }
  }

  /**
   * Adds {@code sum_{(i,o) in map_k} x[i]^T g[o]} to block k of {@code gw} ({@code [K*Cin, Cout]})
   * for k in {@code [from, to)}; map sorted by output, those offsets readable; other blocks untouched.
   */
  static void weightGradient(HostMatrix x, HostMatrix g, KernelMap map, int from, int to, HostMatrix gw,
      MemoryLedger ledger) {
    DataType type = x.dataType();
    int width = (to - from) * x.cols();
    int cout = g.cols();
    int tile = tileRows(width, x.elementBytes());
    int tiles = ceilDiv(map.outRows(), tile);
    int perTask = Math.max(1, WEIGHT_TASK_ROWS / tile);
    int tasks = ceilDiv(tiles, perTask);
    long partialElements = (long) width * cout;
    Pointer[] partial = new Pointer[tasks];
    try (Allocation ws = ledger.acquire(MemoryCategory.WORKSPACE,
        (workers(tasks) * (long) tile * width + tasks * partialElements) * x.elementBytes(),
        "implicit GEMM weight gradient")) {
      map.checkOpen();
      try {
        BlasThreads.parallel(tasks, t -> {
          Pointer acc = Blas.allocate(type, partialElements);
          partial[t] = acc;
          Tile scratch = new Tile(map, tile);
          try (Pointer a = Blas.allocate(type, (long) tile * width);
              Pointer gathered = Blas.allocate(type, scratch.order == null ? 1 : (long) tile * cout)) {
            for (int i = t * perTask; i < Math.min(tiles, (t + 1) * perTask); i++) {
              int lo = i * tile;
              int rows = Math.min(map.outRows(), lo + tile) - lo;
              scratch.gather(x, from, to, lo, rows, width, a);
              long gRows = g.row(lo);
              if (scratch.order != null) {
                g.gatherRows(scratch.order, lo, lo + rows, gathered);
                gRows = gathered.address();
              }
              Blas.gemm(type, true, false, width, cout, rows, a.address(), width, gRows, cout, 1.0,
                  acc.address(), cout);
            }
          }
        });
        for (Pointer p : partial) {
          gw.addRange(p, from * x.cols(), width);
        }
      } finally {
        for (Pointer p : partial) {
          if (p != null) {
            p.close();
          }
        }
      }
    }
  }

  /**
   * Where a tile's rows and their neighbours come from. A map that stores its pairs: tile rows are
   * output rows {@code [lo, lo+rows)}, each offset's pairs a run found by binary search (on a
   * compact map an offset past the stored half is read in place as its mirror image,
   * {@link KernelMap#mirrorsReadableInPlace}: pairs (i, o) of offset K-1-k with i in the tile put
   * row o at row i). A streamed map: tile rows are the rows at key-order positions
   * {@code [lo, lo+rows)} ({@link #order}), each offset's pairs merged for the tile on the spot.
   */
  private static final class Tile {
    final KernelMap map;
    final KernelMap.TileSource source;
    /** Position -> output row for a streamed map; null when tile rows are output rows themselves. */
    final NativeInts order;
    final int[] slot;
    final int[] in;

    Tile(KernelMap map, int tile) {
      this.map = map;
      this.source = map.tiles();
      this.order = source == null ? null : source.rowOrder();
      this.slot = source == null ? null : new int[tile];
      this.in = source == null ? null : new int[tile];
    }

    /** Lays the input rows of offsets {@code [from, to)} for the tile's rows into {@code a}. */
    void gather(HostMatrix src, int from, int to, int lo, int rows, int width, Pointer a) {
      Pointer.memset(a, 0, (long) rows * width * src.elementBytes());
      for (int k = from; k < to; k++) {
        int column = (k - from) * src.cols();
        if (source != null) {
          int n = source.pairs(k, lo, lo + rows, slot, in);
          src.gatherSlots(in, slot, n, width, column, a);
          continue;
        }
        if (k >= map.storedOffsets()) {
          int m = map.volume() - 1 - k;
          NativeInts ins = map.insOf(m);
          int p = CpuConvolution.firstAtLeast(ins, map.start(m), map.end(m), lo);
          int q = CpuConvolution.firstAtLeast(ins, p, map.end(m), lo + rows);
          src.gatherBlocks(map.outsOf(m), ins, p, q, lo, width, column, a);
          continue;
        }
        NativeInts ins = map.insOf(k);
        NativeInts outs = map.outsOf(k);
        int p = CpuConvolution.firstAtLeast(outs, map.start(k), map.end(k), lo);
        int q = CpuConvolution.firstAtLeast(outs, p, map.end(k), lo + rows);
        src.gatherBlocks(ins, outs, p, q, lo, width, column, a);
      }
    }
  }

  private static int workers(int tasks) {
    return Math.min(tasks, Runtime.getRuntime().availableProcessors());
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
