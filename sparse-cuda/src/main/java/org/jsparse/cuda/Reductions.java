package org.jsparse.cuda;

import org.jsparse.core.memory.MemoryCategory;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Deterministic sums on the device: {@link CudaBackend#REDUCTION_BLOCKS} blocks each sum a fixed
 * chunk of rows into a partial, and {@code sum_partials} adds the partials in block order.
 */
final class Reductions {
  private Reductions() {}

  /** Rows per block for {@code rows} rows. */
  static long chunk(long rows) {
    return Math.max(1, (rows + CudaBackend.REDUCTION_BLOCKS - 1) / CudaBackend.REDUCTION_BLOCKS);
  }

  /** The column sums of {@code x} in double. */
  static double[] columnSums(Launcher launcher, DeviceMemory memory, CudaBuffer x) {
    int cols = (int) x.cols();
    int blocks = CudaBackend.REDUCTION_BLOCKS;
    try (CudaBuffer partials = memory.buffer(null, MemoryCategory.WORKSPACE, "column sums", DataType.DOUBLE, blocks, cols);
        CudaBuffer sums = memory.buffer(null, MemoryCategory.WORKSPACE, "column sums", DataType.DOUBLE, 1, cols)) {
      launcher.launch(Kernel.COLUMN_PARTIALS, x.isDouble(), blocks, 1, Launcher.THREADS, 1, 0, x.rows(), cols,
          x.pointer(), chunk(x.rows()), partials.pointer());
      return sum(launcher, memory, partials, sums, blocks, cols);
    }
  }

  /** Adds {@code blocks} partial rows of {@code width} doubles in block order; returns the sums. */
  static double[] sum(Launcher launcher, DeviceMemory memory, CudaBuffer partials, CudaBuffer sums, int blocks,
      int width) {
    launcher.gridStride(Kernel.SUM_PARTIALS, false, width, blocks, width, partials.pointer(), sums.pointer());
    return (double[]) memory.download(sums);
  }
}
