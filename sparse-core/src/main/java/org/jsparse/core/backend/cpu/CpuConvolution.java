package org.jsparse.core.backend.cpu;

import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Gather-GEMM-scatter convolution on the CPU. For each kernel offset k, pairs are processed in
 * blocks of at most {@link #BLOCK} rows: the input rows are gathered into a contiguous operand,
 * multiplied by {@code W[k]} with BLAS ({@code Nd4j.gemm} into a preallocated output, the fast
 * ND4J path), and the product is added into the output rows. Offsets and blocks run in a fixed
 * order and every output row is written by one thread at a time, so results are bit-identical
 * from run to run. Workspace is two blocks, counted in the ledger.
 */
public final class CpuConvolution {
  /** Rows per gathered block: large enough for BLAS efficiency, small enough to stay in cache. */
  public static final int BLOCK = 8192;

  private CpuConvolution() {}

  /**
   * {@code out[o] = sum_k sum_{(i,o) in map_k} in[i] W[k]}.
   *
   * @param in input features {@code [inRows, Cin]}
   * @param weight {@code [K, Cin, Cout]}
   */
  public static INDArray forward(INDArray in, INDArray weight, KernelMap map, MemoryLedger ledger) {
    HostMatrix x = HostMatrix.of(in);
    int cout = Math.toIntExact(weight.size(2));
    HostMatrix out = HostMatrix.zeros(in.dataType(), map.outRows(), cout);
    run(x, out, weight, map.sharedInRows(), map.sharedOutRows(), map, false, ledger);
    return out.toINDArray();
  }

  /** Gradient for the input: {@code gIn[i] = sum_k sum_{(i,o)} gOut[o] W[k]^T}. */
  public static INDArray backwardInput(INDArray gradOut, INDArray weight, KernelMap map, MemoryLedger ledger) {
    HostMatrix g = HostMatrix.of(gradOut);
    int cin = Math.toIntExact(weight.size(1));
    HostMatrix gin = HostMatrix.zeros(gradOut.dataType(), map.inRows(), cin);
    run(g, gin, weight, map.sharedOutRows(), map.sharedInRows(), map, true, ledger);
    return gin.toINDArray();
  }

  private static void run(HostMatrix src, HostMatrix dst, INDArray weight, int[] srcIdx, int[] dstIdx,
      KernelMap map, boolean transposeWeight, MemoryLedger ledger) {
    DataType type = src.dataType();
    int block = Math.max(1, Math.min(BLOCK, maxPairs(map)));
    try (Allocation ws = ledger.acquire(MemoryCategory.WORKSPACE,
        2L * block * (src.cols() + dst.cols()) * src.elementBytes())) {
      INDArray gathered = Nd4j.create(type, block, src.cols());
      INDArray product = Nd4j.create(type, block, dst.cols());
      Object gatherScratch = src.scratch(block, src.cols());
      Object scatterScratch = dst.scratch(block, dst.cols());
      for (int k = 0; k < map.volume(); k++) {
        if (map.pairCount(k) == 0) {
          continue;
        }
        INDArray wk = weight.slice(k).dup('c');
        for (int p = map.start(k); p < map.end(k); p += block) {
          int q = Math.min(map.end(k), p + block);
          int n = q - p;
          INDArray g = n == block ? gathered : gathered.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
          INDArray r = n == block ? product : product.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
          src.gatherInto(srcIdx, p, q, gathered, gatherScratch);
          Nd4j.gemm(g, wk, r, false, transposeWeight, 1.0, 0.0);
          dst.scatterAddFrom(product, dstIdx, p, q, scatterScratch);
        }
      }
    }
  }

  /** Gradient for the weight: {@code gW[k] = sum_{(i,o) in map_k} in[i]^T gOut[o]}, shape {@code [K, Cin, Cout]}. */
  public static INDArray backwardWeight(INDArray in, INDArray gradOut, KernelMap map, MemoryLedger ledger) {
    HostMatrix x = HostMatrix.of(in);
    HostMatrix g = HostMatrix.of(gradOut);
    DataType type = in.dataType();
    int cin = x.cols();
    int cout = g.cols();
    INDArray gw = Nd4j.create(type, map.volume(), cin, cout);
    int block = Math.max(1, Math.min(BLOCK, maxPairs(map)));
    try (Allocation ws = ledger.acquire(MemoryCategory.WORKSPACE,
        2L * block * (cin + cout) * x.elementBytes())) {
      INDArray xs = Nd4j.create(type, block, cin);
      INDArray gs = Nd4j.create(type, block, cout);
      Object xScratch = x.scratch(block, cin);
      Object gScratch = g.scratch(block, cout);
      for (int k = 0; k < map.volume(); k++) {
        if (map.pairCount(k) == 0) {
          continue;
        }
        INDArray acc = Nd4j.create(type, cin, cout);
        for (int p = map.start(k); p < map.end(k); p += block) {
          int q = Math.min(map.end(k), p + block);
          int n = q - p;
          x.gatherInto(map.sharedInRows(), p, q, xs, xScratch);
          g.gatherInto(map.sharedOutRows(), p, q, gs, gScratch);
          INDArray a = n == block ? xs : xs.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
          INDArray b = n == block ? gs : gs.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
          Nd4j.gemm(a, b, acc, true, false, 1.0, 1.0);
        }
        gw.slice(k).assign(acc);
      }
    }
    return gw;
  }

  private static int maxPairs(KernelMap map) {
    int m = 0;
    for (int k = 0; k < map.volume(); k++) {
      m = Math.max(m, map.pairCount(k));
    }
    return m;
  }
}
