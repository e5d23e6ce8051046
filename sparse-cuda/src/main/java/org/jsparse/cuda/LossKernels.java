package org.jsparse.cuda;

import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.cuda.DeviceMemory.DeviceArray;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The losses of the seam on the device (loss.cu): the labels become a byte per element (1 at the
 * positives), the loss a deterministic two-pass sum in double, its gradient one elementwise pass.
 */
final class LossKernels {
  /** Threads of a bce_partials block (LOSS_THREADS of loss.cu). */
  static final int LOSS_THREADS = 256;

  private final Launcher launcher;
  private final DeviceMemory memory;

  LossKernels(Launcher launcher, DeviceMemory memory) {
    this.launcher = launcher;
    this.memory = memory;
  }

  double bceWithLogitsSum(CudaBuffer z, int[] positives, MemoryLedger ledger) {
    int blocks = CudaBackend.REDUCTION_BLOCKS;
    try (DeviceArray labels = labels(z, positives, ledger);
        CudaBuffer partials = memory.buffer(ledger, MemoryCategory.WORKSPACE, "binary cross-entropy", DataType.DOUBLE, blocks, 1);
        CudaBuffer sum = memory.buffer(ledger, MemoryCategory.WORKSPACE, "binary cross-entropy", DataType.DOUBLE, 1, 1)) {
      launcher.launch(Kernel.BCE_PARTIALS, z.isDouble(), blocks, 1, LOSS_THREADS, 1, 0, z.length(), z.pointer(),
          labels.at(0), Reductions.chunk(z.length()), partials.pointer());
      return Reductions.sum(launcher, memory, partials, sum, blocks, 1)[0];
    }
  }

  void bceWithLogitsBackward(CudaBuffer z, int[] positives, double scale, CudaBuffer gradIn, MemoryLedger ledger) {
    if (gradIn.length() != z.length() || gradIn.isDouble() != z.isDouble()) {
      throw new IllegalArgumentException("the logits' gradient needs " + z.length() + " elements of the logits' type, got "
          + gradIn.length());
    }
    try (DeviceArray labels = labels(z, positives, ledger)) {
      launcher.gridStride(Kernel.BCE_GRADIENT, z.isDouble(), z.length(), z.length(), z.pointer(), labels.at(0), scale,
          gradIn.pointer());
    }
  }

  /** A byte per element of {@code z}: 1 at the positives, 0 elsewhere. */
  private DeviceArray labels(CudaBuffer z, int[] positives, MemoryLedger ledger) {
    for (int e : positives) { // a kernel would write out of bounds
      if (e < 0 || e >= z.length()) {
        throw new IllegalArgumentException("positive label at element " + e + " of logits with " + z.length() + " elements");
      }
    }
    DeviceArray labels = memory.zeroBytes(z.length(), ledger, "loss labels");
    if (positives.length > 0) {
      try (DeviceArray elements = memory.ints(positives, ledger, "loss labels")) {
        launcher.gridStride(Kernel.MARK_ELEMENTS, false, positives.length, positives.length, elements.at(0), labels.at(0));
      }
    }
    return labels;
  }
}
