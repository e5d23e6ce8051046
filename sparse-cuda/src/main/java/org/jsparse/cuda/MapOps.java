package org.jsparse.cuda;

import static org.jsparse.cuda.Launcher.NULL;

import jcuda.driver.CUdeviceptr;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.cuda.DeviceMemory.DeviceArray;
import org.jsparse.cuda.DeviceMemory.DevicePairs;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The ops that walk a kernel map on the device, one offset at a time in offset order (within an
 * offset no two pairs share an output row or an input row, so gathers and scatters need no
 * atomics): convolution and its gradients, channel-wise convolution, max and sum pooling. Weight
 * gradients are fixed-block two-pass reductions. A convolution's forward pass and input gradient
 * can instead take the fused implicit GEMM ({@link ConvolutionPath}), all offsets in one launch.
 * Called by {@link CudaBackend} under its lock.
 */
final class MapOps {
  /** Dynamic shared memory a block may use without opting in (48 KiB on every GPU since sm_70). */
  private static final int SHARED_LIMIT = 48 * 1024;

  private final Launcher launcher;
  private final DeviceMemory memory;

  MapOps(Launcher launcher, DeviceMemory memory) {
    this.launcher = launcher;
    this.memory = memory;
  }

  /** The input rows (forward) or output rows (backward) of offset k: where an op reads. */
  private static CUdeviceptr sources(DevicePairs pairs, int k, boolean forward) {
    return (forward ? pairs.ins : pairs.outs).at(pairs.start[k]);
  }

  /** Where an op of offset k writes: the other side of {@link #sources}. */
  private static CUdeviceptr targets(DevicePairs pairs, int k, boolean forward) {
    return (forward ? pairs.outs : pairs.ins).at(pairs.start[k]);
  }

  /**
   * {@code dst[dstRows] += src[srcRows] W(k)} over every offset: forward ({@code W[k]}) or input
   * gradient ({@code W[k]^T}), by the implicit GEMM or one gather-scatter launch an offset as
   * {@code path} decides for this map.
   */
  void convolution(CudaBuffer src, CudaBuffer w, KernelMap map, CudaBuffer dst, boolean forward, ConvolutionPath path,
      MemoryLedger ledger) {
    DevicePairs pairs = memory.pairs(map, ledger);
    if (path.implicitGemm(pairs.start[pairs.volume()], pairs.volume(), dst.rows())) {
      implicitConvolution(src, w, pairs, dst, forward, ledger);
    } else {
      gatherScatterConvolution(src, w, pairs, dst, forward);
    }
  }

  private void gatherScatterConvolution(CudaBuffer src, CudaBuffer w, DevicePairs pairs, CudaBuffer dst, boolean forward) {
    int cin = (forward ? src : dst).channels();
    int cout = (forward ? dst : src).channels();
    long block = (long) cin * cout;
    int width = src.dataType().width();
    int shared = block * width <= SHARED_LIMIT ? (int) (block * width) : 0;
    for (int k = 0; k < pairs.volume(); k++) {
      int n = pairs.count(k);
      if (n > 0) {
        int grid = (int) Math.min(65535, (n + 7) / 8);
        launcher.launch(Kernel.GEMM_PAIRS, src.isDouble(), grid, 1, 32, 8, shared, n, sources(pairs, k, forward),
            targets(pairs, k, forward), src.pointer(), forward ? cin : cout, w.at(k * block), forward ? cout : 1,
            forward ? 1 : cout, dst.pointer(), forward ? cout : cin, shared > 0 ? 1 : 0);
      }
    }
  }

  /** Destination rows a block of implicit_gemm owns (IG_ROWS of implicit_gemm.cu). */
  static final int IMPLICIT_GEMM_ROWS = 64;
  /** Destination columns a block of implicit_gemm owns (IG_COLS). */
  static final int IMPLICIT_GEMM_COLS = 32;
  /** Threads of an implicit_gemm block (IG_THREADS). */
  static final int IMPLICIT_GEMM_THREADS = 256;
  /** The most device memory one pass's neighbour table takes; larger outputs are done in passes of rows. */
  static final long TABLE_BUDGET_BYTES = 16L << 20;

  /** Destination rows per pass: the table ({@code 4 volume} bytes a row) within the budget, whole tiles of rows. */
  static int rowsPerPass(int volume, long rows, long budgetBytes) {
    long fit = Math.max(IMPLICIT_GEMM_ROWS, budgetBytes / (4L * volume) / IMPLICIT_GEMM_ROWS * IMPLICIT_GEMM_ROWS);
    return (int) Math.min(Math.min(rows, fit), Integer.MAX_VALUE / volume / IMPLICIT_GEMM_ROWS * IMPLICIT_GEMM_ROWS);
  }

  /**
   * The implicit GEMM in passes of destination rows: per pass a neighbour table {@code [K, rows]}
   * (the source row of each destination row at each offset, -1 where none) filled from the pairs,
   * then one launch over all offsets. The sequence convolution_emulation.cpp runs on the CPU.
   */
  private void implicitConvolution(CudaBuffer src, CudaBuffer w, DevicePairs pairs, CudaBuffer dst, boolean forward,
      MemoryLedger ledger) {
    int cin = (forward ? src : dst).channels();
    int cout = (forward ? dst : src).channels();
    int volume = pairs.volume();
    long rows = dst.rows();
    int passRows = rowsPerPass(volume, rows, TABLE_BUDGET_BYTES);
    try (DeviceArray table = memory.ints((long) volume * passRows, ledger, "implicit GEMM neighbour table")) {
      for (long first = 0; first < rows; first += passRows) {
        int n = (int) Math.min(passRows, rows - first);
        memory.fill(table, (long) volume * n, -1);
        for (int k = 0; k < volume; k++) {
          int count = pairs.count(k);
          if (count > 0) {
            launcher.gridStride(Kernel.FILL_NEIGHBOUR_TABLE, false, count, count, targets(pairs, k, forward),
                sources(pairs, k, forward), (int) first, n, table.at((long) k * n));
          }
        }
        int dstCols = forward ? cout : cin;
        launcher.launch(Kernel.IMPLICIT_GEMM, src.isDouble(), (n + IMPLICIT_GEMM_ROWS - 1) / IMPLICIT_GEMM_ROWS,
            (dstCols + IMPLICIT_GEMM_COLS - 1) / IMPLICIT_GEMM_COLS, IMPLICIT_GEMM_THREADS, 1, 0, n, volume,
            table.at(0), src.pointer(), forward ? cin : cout, w.pointer(), (long) cin * cout, forward ? cout : 1,
            forward ? 1 : cout, dst.pointer(), (int) first, dstCols);
      }
    }
  }

  /** {@code gradW[k] += sum over offset k's pairs of in[i]^T gradOut[o]}. */
  void convolutionWeightGradient(CudaBuffer x, CudaBuffer g, KernelMap map, CudaBuffer gw, MemoryLedger ledger) {
    int cin = x.channels();
    int cout = g.channels();
    int tiles = ((cin + WEIGHT_TILE - 1) / WEIGHT_TILE) * ((cout + WEIGHT_TILE - 1) / WEIGHT_TILE);
    weightGradient(Kernel.WEIGHT_PARTIALS, tiles, WEIGHT_THREADS, x, g, map, gw, cin * cout, ledger,
        (n, pairs, k, chunk, partials) -> new Object[] {n, pairs.ins.at(pairs.start[k]), pairs.outs.at(pairs.start[k]),
            x.pointer(), cin, g.pointer(), cout, chunk, partials});
  }

  /** {@code out[o, c] += w[k, c] in[i, c]} per offset, or its input gradient ({@code forward} false). */
  void channelwise(CudaBuffer src, CudaBuffer w, KernelMap map, CudaBuffer dst, boolean forward, MemoryLedger ledger) {
    int c = src.channels();
    DevicePairs pairs = memory.pairs(map, ledger);
    for (int k = 0; k < pairs.volume(); k++) {
      int n = pairs.count(k);
      if (n > 0) {
        launcher.gridStride(Kernel.CHANNELWISE_PAIRS, src.isDouble(), (long) n * c, n, sources(pairs, k, forward),
            targets(pairs, k, forward), src.pointer(), w.at((long) k * c), c, dst.pointer());
      }
    }
  }

  /** {@code gradW[k, c] += sum over offset k's pairs of in[i, c] gradOut[o, c]}. */
  void channelwiseWeightGradient(CudaBuffer x, CudaBuffer g, KernelMap map, CudaBuffer gw, MemoryLedger ledger) {
    int c = x.channels();
    weightGradient(Kernel.CHANNELWISE_WEIGHT_PARTIALS, 1, Launcher.THREADS, x, g, map, gw, c, ledger,
        (n, pairs, k, chunk, partials) -> new Object[] {n, pairs.ins.at(pairs.start[k]), pairs.outs.at(pairs.start[k]),
            x.pointer(), g.pointer(), c, chunk, partials});
  }

  /** The arguments of a partial-sums kernel for offset k's {@code n} pairs. */
  private interface PartialArguments {
    Object[] of(int n, DevicePairs pairs, int k, long chunk, CUdeviceptr partials);
  }

  /** The [Cin, Cout] tile a block of weight_partials sums (WG_TILE of weight_gradient.cu). */
  static final int WEIGHT_TILE = 32;
  /** Threads of a weight_partials block (WG_THREADS). */
  static final int WEIGHT_THREADS = 256;

  /**
   * Per offset: {@code partials} over fixed chunks of its pairs ({@code tiles} blocks of {@code
   * threads} a chunk), then added in block order into {@code gw[k]} ({@code width} values).
   */
  private void weightGradient(Kernel partialsKernel, int tiles, int threads, CudaBuffer x, CudaBuffer g,
      KernelMap map, CudaBuffer gw, int width, MemoryLedger ledger, PartialArguments arguments) {
    int blocks = CudaBackend.REDUCTION_BLOCKS;
    DevicePairs pairs = memory.pairs(map, ledger);
    try (CudaBuffer partials = memory.buffer(ledger, MemoryCategory.WORKSPACE, "weight gradient", DataType.DOUBLE,
        blocks, width)) {
      for (int k = 0; k < pairs.volume(); k++) {
        int n = pairs.count(k);
        if (n == 0) {
          continue;
        }
        long chunk = (n + blocks - 1) / blocks;
        launcher.launch(partialsKernel, x.isDouble(), blocks, tiles, threads, 1, 0,
            arguments.of(n, pairs, k, chunk, partials.pointer()));
        launcher.gridStride(Kernel.ADD_PARTIALS, x.isDouble(), width, blocks, width, partials.pointer(),
            gw.at((long) k * width));
      }
    }
  }

  /** Max pooling into a zeroed {@code y}; {@code argmax} receives the winning input rows (ties to the earlier pair). */
  void poolMax(CudaBuffer x, KernelMap map, CudaBuffer y, int[] argmax) {
    int c = x.channels();
    DevicePairs pairs = memory.pairs(map, null);
    try (DeviceArray winners = memory.filledInts(argmax.length, (byte) 0xFF, null, "max pooling")) {
      for (int k = 0; k < pairs.volume(); k++) {
        int n = pairs.count(k);
        if (n > 0) {
          launcher.gridStride(Kernel.POOL_MAX_OFFSET, x.isDouble(), (long) n * c, n, pairs.ins.at(pairs.start[k]),
              pairs.outs.at(pairs.start[k]), x.pointer(), c, y.pointer(), winners.at(0));
        }
      }
      memory.read(winners, argmax);
    }
  }

  /** Sum or average pooling ({@code counts}: rows per output), forward or its gradient. */
  void poolSum(CudaBuffer src, KernelMap map, int[] counts, CudaBuffer dst, boolean forward) {
    int c = src.channels();
    DevicePairs pairs = memory.pairs(map, null);
    try (DeviceArray n = counts == null ? null : memory.ints(counts, null, "average pooling")) {
      for (int k = 0; k < pairs.volume(); k++) {
        int count = pairs.count(k);
        if (count > 0) {
          launcher.gridStride(Kernel.POOL_SUM_OFFSET, src.isDouble(), (long) count * c, count,
              sources(pairs, k, forward), targets(pairs, k, forward), src.pointer(), c, dst.pointer(),
              n == null ? NULL : n.at(0), forward ? 1 : 0);
        }
      }
    }
  }
}
