package org.jsparse.core.backend.cpu;

import java.util.stream.IntStream;
import org.bytedeco.javacpp.Pointer;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.core.internal.NativeInts;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Implicit-GEMM convolution: for a tile of output rows, the input rows of every offset are laid
 * side by side into one operand {@code A [tile, K*Cin]} (a missing neighbour leaves zeros), and
 * one GEMM with the weights as {@code [K*Cin, Cout]} writes the tile's output rows directly: no
 * scatter, and one tall GEMM with a long inner dimension instead of K skinny ones. It computes
 * the zero slots too, so it pays off when the map is dense enough (see
 * {@link CpuConvolution#prefersImplicitGemm}). Deterministic: each output row is one dot product
 * over a fixed layout.
 */
final class ImplicitGemm {
  /** Output rows per tile: keeps {@code A} near 1-2 MiB for typical channel counts. */
  static final int TILE = 256;
  private static final int TILES_PER_TASK = 16;

  private ImplicitGemm() {}

  /**
   * {@code dst[o] += sum_{k in [from, to)} src[in_k(o)] W[k]} with {@code w} as {@code [K*Cin, Cout]};
   * map sorted by output, offsets {@code [from, to)} readable.
   */
  static void accumulate(HostMatrix src, HostMatrix dst, HostMatrix w, KernelMap map, int from, int to,
      MemoryLedger ledger) {
    DataType type = src.dataType();
    int width = (to - from) * src.cols();
    int tiles = (map.outRows() + TILE - 1) / TILE;
    int tasks = (tiles + TILES_PER_TASK - 1) / TILES_PER_TASK;
    long perTask = 2L * TILE * (width + dst.cols()) * src.elementBytes();
    try (Allocation ws = ledger.acquire(MemoryCategory.WORKSPACE,
        Math.min(tasks, Runtime.getRuntime().availableProcessors()) * perTask + w.bytes(), "implicit GEMM tiles");
        Pointer weights = w.toPointer()) {
      map.checkOpen();
      IntStream.range(0, tasks).parallel().forEach(t -> {
        try (Pointer a = Blas.allocate(type, (long) TILE * width);
            Pointer product = Blas.allocate(type, (long) TILE * dst.cols())) {
          for (int i = t * TILES_PER_TASK; i < Math.min(tiles, (t + 1) * TILES_PER_TASK); i++) {
            int lo = i * TILE;
            int hi = Math.min(map.outRows(), lo + TILE);
            int rows = hi - lo;
            Pointer.memset(a, 0, (long) rows * width * src.elementBytes());
            for (int k = from; k < to; k++) {
              NativeInts ins = map.insOf(k);
              NativeInts outs = map.outsOf(k);
              int p = CpuConvolution.firstAtLeast(outs, map.start(k), map.end(k), lo);
              int q = CpuConvolution.firstAtLeast(outs, p, map.end(k), hi);
              src.gatherBlocks(ins, outs, p, q, lo, width, (k - from) * src.cols(), a);
            }
            Blas.gemm(type, false, false, rows, dst.cols(), width, a, 0, width, weights,
                (long) from * src.cols() * dst.cols(), dst.cols(), 0.0, product, 0, dst.cols());
            dst.addRange(product, lo, rows);
          }
        }
      });
    }
  }
}
