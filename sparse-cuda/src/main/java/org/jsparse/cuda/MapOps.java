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
 * gradients are fixed-block two-pass reductions. Called by {@link CudaBackend} under its lock.
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

  /** {@code dst[dstRows] += src[srcRows] W(k)} per offset: forward ({@code W[k]}) or input gradient ({@code W[k]^T}). */
  void convolution(CudaBuffer src, CudaBuffer w, KernelMap map, CudaBuffer dst, boolean forward, MemoryLedger ledger) {
    int cin = (forward ? src : dst).channels();
    int cout = (forward ? dst : src).channels();
    long block = (long) cin * cout;
    int width = src.dataType().width();
    int shared = block * width <= SHARED_LIMIT ? (int) (block * width) : 0;
    DevicePairs pairs = memory.pairs(map, ledger);
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

  /** {@code gradW[k] += sum over offset k's pairs of in[i]^T gradOut[o]}. */
  void convolutionWeightGradient(CudaBuffer x, CudaBuffer g, KernelMap map, CudaBuffer gw, MemoryLedger ledger) {
    int cin = x.channels();
    int cout = g.channels();
    weightGradient(Kernel.WEIGHT_PARTIALS, x, g, map, gw, cin * cout, ledger,
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
    weightGradient(Kernel.CHANNELWISE_WEIGHT_PARTIALS, x, g, map, gw, c, ledger,
        (n, pairs, k, chunk, partials) -> new Object[] {n, pairs.ins.at(pairs.start[k]), pairs.outs.at(pairs.start[k]),
            x.pointer(), g.pointer(), c, chunk, partials});
  }

  /** The arguments of a partial-sums kernel for offset k's {@code n} pairs. */
  private interface PartialArguments {
    Object[] of(int n, DevicePairs pairs, int k, long chunk, CUdeviceptr partials);
  }

  /** Per offset: {@code partials} over fixed chunks of its pairs, then added in block order into {@code gw[k]} ({@code width} values). */
  private void weightGradient(Kernel partialsKernel, CudaBuffer x, CudaBuffer g, KernelMap map, CudaBuffer gw,
      int width, MemoryLedger ledger, PartialArguments arguments) {
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
        launcher.launch(partialsKernel, x.isDouble(), blocks, 1, Launcher.THREADS, 1, 0,
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
