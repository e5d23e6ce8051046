package org.jsparse.core.backend.cpu;

import org.bytedeco.javacpp.Pointer;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.core.internal.NativeInts;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Gather-GEMM-scatter convolution on the CPU, tiled by output rows so that everything but the
 * input rows stays in cache. Each tile of {@link #TILE} output rows is independent: for every
 * offset k, the pairs whose output lies in the tile (a contiguous range, since pairs are sorted by
 * output row) have their input rows gathered into a small off-heap operand, multiplied by
 * {@code W[k]} with BLAS sgemm/dgemm ({@link Blas}), and added into the output rows. Tiles run in
 * parallel in fixed groups; each output row belongs to one tile and sees the offsets in one order,
 * so results are bit-identical whatever the thread count.
 *
 * <p>Why tiles: an untiled pass streams the whole input, a gathered copy, a product and the output
 * through memory once per offset; on a 2-core machine that traffic, not the arithmetic, set the
 * time (measured: docs/benchmarks.md).
 */
final class CpuConvolution {
  /** Output rows per tile. Within one offset a tile has at most this many pairs. */
  public static final int TILE = 4096;
  /** Tiles per parallel task; fixed so the grouping does not depend on the machine. */
  private static final int TILES_PER_TASK = 4;

  private CpuConvolution() {}

  /**
   * {@code out[o] += sum_{k in [from, to)} sum_{(i,o) in map_k} in[i] W[k]} over a map sorted by
   * output row whose offsets {@code [from, to)} are readable. Passes over consecutive offset ranges
   * add up to the whole convolution, and each output row still sees the offsets in one order.
   *
   * @param x input features {@code [inRows, Cin]}
   * @param w weights as {@code [K*Cin, Cout]}
   * @param out {@code [outRows, Cout]}
   */
  static void forward(HostMatrix x, HostMatrix w, KernelMap sorted, int from, int to, HostMatrix out,
      MemoryLedger ledger) {
    if (prefersImplicitGemm(sorted)) {
      ImplicitGemm.accumulate(x, out, w, sorted, from, to, ledger);
    } else {
      accumulate(x, out, w, false, sorted, from, to, ledger);
    }
  }

  /**
   * Gradient for the input over a mirrored map sorted by output row (offsets {@code [from, to)}
   * readable): such a map is its own transpose with the offsets reversed, so it is walked with
   * {@code W[K-1-k]^T}: {@code gIn[b] += gOut[a] W[K-1-k]^T} for each pair (a, b) of offset k.
   */
  static void backwardInputMirrored(HostMatrix g, HostMatrix w, KernelMap map, int from, int to, HostMatrix gin,
      MemoryLedger ledger) {
    backwardInput(g, w, map, true, from, to, gin, ledger);
  }

  /** Gradient for the input: {@code gIn[i] += sum_k sum_{(i,o)} gOut[o] W[k]^T}, w as {@code [K*Cin, Cout]}. */
  static void backwardInput(HostMatrix g, HostMatrix w, KernelMap map, HostMatrix gin, MemoryLedger ledger) {
    if (map.isMirrored()) {
      backwardInput(g, w, map.sortedByOutput(), true, 0, map.volume(), gin, ledger);
    } else {
      backwardInput(g, w, map.inputOrder(ledger), false, 0, map.volume(), gin, ledger);
    }
  }

  private static void backwardInput(HostMatrix g, HostMatrix w, KernelMap reversed, boolean flip, int from, int to,
      HostMatrix gin, MemoryLedger ledger) {
    KernelMap map = reversed;
    try (HostWorkspace ws = new HostWorkspace(ledger)) {
      int volume = map.volume();
      int cin = gin.cols();
      int cout = g.cols();
      if (prefersImplicitGemm(reversed)) {
        HostMatrix wT = ws.zeros(w.dataType(), volume * cout, cin);
        for (int k = 0; k < volume; k++) {
          int source = flip ? volume - 1 - k : k;
          for (int i = 0; i < cin; i++) {
            for (int o = 0; o < cout; o++) {
              wT.set(k * cout + o, i, w.get(source * cin + i, o));
            }
          }
        }
        ImplicitGemm.accumulate(g, gin, wT, reversed, from, to, ledger);
      } else if (flip) {
        HostMatrix wFlipped = ws.zeros(w.dataType(), volume * cin, cout);
        for (int k = 0; k < volume; k++) {
          for (int i = 0; i < cin; i++) {
            w.copyRowTo((volume - 1 - k) * cin + i, wFlipped, k * cin + i, 0);
          }
        }
        accumulate(g, gin, wFlipped, true, reversed, from, to, ledger);
      } else {
        accumulate(g, gin, w, true, reversed, from, to, ledger);
      }
    }
  }

  /**
   * {@code dst[o] += src[i] op(W[k])} over all pairs of a map sorted by output row, where
   * {@code w} holds the weights as {@code [K*Cin, Cout]} and {@code op} transposes each block for
   * the backward pass.
   */
  private static void accumulate(HostMatrix src, HostMatrix dst, HostMatrix w, boolean transposeW, KernelMap map,
      int from, int to, MemoryLedger ledger) {
    DataType type = src.dataType();
    int tiles = (map.outRows() + TILE - 1) / TILE;
    int tasks = (tiles + TILES_PER_TASK - 1) / TILES_PER_TASK;
    int parallel = Math.min(tasks, Runtime.getRuntime().availableProcessors());
    long perTask = 3L * TILE * (src.cols() + dst.cols()) * src.elementBytes();
    int blockRows = transposeW ? dst.cols() : src.cols();
    int blockCols = transposeW ? src.cols() : dst.cols();
    try (Allocation ws = ledger.acquire(MemoryCategory.WORKSPACE, parallel * perTask + w.bytes(), "convolution tiles");
        Pointer weights = w.toPointer()) {
      map.checkOpen();
      BlasThreads.parallel(tasks, t -> {
        try (Pointer gathered = Blas.allocate(type, (long) TILE * src.cols());
            Pointer product = Blas.allocate(type, (long) TILE * dst.cols())) {
          for (int i = t * TILES_PER_TASK; i < Math.min(tiles, (t + 1) * TILES_PER_TASK); i++) {
            int lo = i * TILE;
            int hi = Math.min(map.outRows(), lo + TILE);
            for (int k = from; k < to; k++) {
              NativeInts ins = map.insOf(k);
              NativeInts outs = map.outsOf(k);
              int p = firstAtLeast(outs, map.start(k), map.end(k), lo);
              int q = firstAtLeast(outs, p, map.end(k), hi);
              if (p == q) {
                continue;
              }
              src.gatherRows(ins, p, q, gathered);
              Blas.gemm(type, false, transposeW, q - p, dst.cols(), src.cols(), gathered, 0, src.cols(),
                  weights, (long) k * blockRows * blockCols, blockCols, 0.0, product, 0, dst.cols());
              dst.addRowsFrom(product, q - p, outs, p);
            }
          }
        }
      });
    }
  }

  /**
   * True when the implicit GEMM's wasted products (missing neighbours count as zero rows) cost less
   * than the per-offset path's gather, scatter and small-GEMM overheads: when at least 60 % of the
   * {@code outRows * K} slots hold a pair. Measured on the CT bone (83 %: implicit 1.9x faster at
   * C=16, 1.1x at C=64) and its one-voxel shell (40 %: per-offset 1.5x faster at C=64).
   */
  static boolean prefersImplicitGemm(KernelMap map) {
    return map.fillsMostSlots();
  }

  /** First index in {@code [from, to)} whose value is {@code >= key} (values ascending). */
  static int firstAtLeast(NativeInts values, int from, int to, int key) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (values.get(mid) < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Gradient for the weight: {@code gW[k] += sum_{(i,o) in map_k} in[i]^T gOut[o]}, as
   * {@code [K*Cin, Cout]}. Each task accumulates its tiles into its own {@code [K*Cin, Cout]};
   * task results are summed in task order, so the sum is deterministic.
   */
  static void backwardWeight(HostMatrix x, HostMatrix g, KernelMap kernelMap, HostMatrix gw, MemoryLedger ledger) {
    backwardWeight(x, g, kernelMap.sortedByOutput(), 0, kernelMap.volume(), false, gw, ledger);
  }

  /**
   * The weight gradient's blocks {@code [from, to)} of a map sorted by output row; the other blocks
   * are left as they are. With {@code mirrored}, offsets {@code [from, to)} of a mirrored map are
   * walked as their mirror images: block {@code K-1-k} gets {@code sum_{(i,o) in map_k} in[o]^T
   * gOut[i]}, so a half-stored map needs no expansion for its weight gradient.
   */
  static void backwardWeight(HostMatrix x, HostMatrix g, KernelMap map, int from, int to, boolean mirrored,
      HostMatrix gw, MemoryLedger ledger) {
    if (!mirrored && prefersImplicitGemm(map)) {
      ImplicitGemm.weightGradient(x, g, map, from, to, gw, ledger);
      return;
    }
    DataType type = x.dataType();
    int cin = x.cols();
    int cout = g.cols();
    int volume = map.volume();
    int tiles = (map.outRows() + TILE - 1) / TILE;
    int tasks = (tiles + TILES_PER_TASK - 1) / TILES_PER_TASK;
    long block = (long) cin * cout;
    Pointer[] partial = new Pointer[tasks];
    long perTask = 3L * TILE * (cin + cout) * x.elementBytes();
    try (Allocation ws = ledger.acquire(MemoryCategory.WORKSPACE,
        Math.min(tasks, Runtime.getRuntime().availableProcessors()) * perTask + tasks * volume * block * x.elementBytes(),
        "convolution weight gradient")) {
      map.checkOpen();
      BlasThreads.parallel(tasks, t -> {
        Pointer acc = Blas.allocate(type, volume * block);
        try (Pointer xs = Blas.allocate(type, (long) TILE * cin);
            Pointer gs = Blas.allocate(type, (long) TILE * cout)) {
          for (int i = t * TILES_PER_TASK; i < Math.min(tiles, (t + 1) * TILES_PER_TASK); i++) {
            int lo = i * TILE;
            int hi = Math.min(map.outRows(), lo + TILE);
            for (int k = from; k < to; k++) {
              NativeInts ins = map.insOf(k);
              NativeInts outs = map.outsOf(k);
              int p = firstAtLeast(outs, map.start(k), map.end(k), lo);
              int q = firstAtLeast(outs, p, map.end(k), hi);
              if (p == q) {
                continue;
              }
              x.gatherRows(mirrored ? outs : ins, p, q, xs);
              g.gatherRows(mirrored ? ins : outs, p, q, gs);
              long at = (mirrored ? volume - 1 - k : k) * block;
              Blas.gemm(type, true, false, cin, cout, q - p, xs, 0, cin, gs, 0, cout, 1.0, acc, at, cout);
            }
          }
        }
        partial[t] = acc;
      });
      for (Pointer p : partial) {
        gw.addFrom(p);
        p.close();
      }
    }
  }
}
