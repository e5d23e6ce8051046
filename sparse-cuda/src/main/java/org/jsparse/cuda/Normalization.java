package org.jsparse.cuda;

import static org.jsparse.cuda.Launcher.NULL;

import jcuda.driver.CUdeviceptr;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.cuda.DeviceMemory.DeviceArray;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Grouped normalization on the device with the CPU backend's arithmetic: two-pass moments (the
 * mean, then the centred squares) and the backward pass's two per-(group, channel) sums, all as
 * deterministic reductions in double; the per-channel statistics themselves are combined on the
 * host (a few numbers per channel).
 */
final class Normalization {
  private Normalization() {}

  private static int[] counts(int[] group, int groups, long rows) {
    int[] count = new int[groups];
    if (group == null) {
      count[0] = (int) rows;
    } else {
      for (int g : group) {
        count[g]++;
      }
    }
    return count;
  }

  private static CUdeviceptr pointer(CudaBuffer b) {
    return b == null ? NULL : b.pointer();
  }

  static void moments(Launcher launcher, DeviceMemory memory, CudaBuffer x, int[] group, int groups, double[] mean,
      double[] variance, int[] count) {
    int c = (int) x.cols();
    int width = groups * c;
    int blocks = CudaBackend.REDUCTION_BLOCKS;
    System.arraycopy(counts(group, groups, x.rows()), 0, count, 0, groups);
    try (DeviceArray g = group == null ? null : memory.ints(group, null, "moments");
        CudaBuffer partials = memory.buffer(null, MemoryCategory.WORKSPACE, "moments", DataType.DOUBLE, blocks, width);
        CudaBuffer sums = memory.buffer(null, MemoryCategory.WORKSPACE, "moments", DataType.DOUBLE, 1, width)) {
      CUdeviceptr groupPointer = g == null ? NULL : g.at(0);
      launcher.launch(Kernel.GROUP_PARTIALS, x.isDouble(), blocks, 1, Launcher.THREADS, 1, 0, x.rows(), c, x.pointer(),
          groupPointer, groups, NULL, Reductions.chunk(x.rows()), partials.pointer());
      double[] s = Reductions.sum(launcher, memory, partials, sums, blocks, width);
      for (int i = 0; i < width; i++) {
        mean[i] = s[i] / Math.max(1, count[i / c]);
      }
      try (CudaBuffer m = memory.doubles(java.util.Arrays.copyOf(mean, width))) {
        launcher.launch(Kernel.GROUP_PARTIALS, x.isDouble(), blocks, 1, Launcher.THREADS, 1, 0, x.rows(), c,
            x.pointer(), groupPointer, groups, m.pointer(), Reductions.chunk(x.rows()), partials.pointer());
        double[] q = Reductions.sum(launcher, memory, partials, sums, blocks, width);
        for (int i = 0; i < width; i++) {
          variance[i] = q[i] / Math.max(1, count[i / c]);
        }
      }
    }
  }

  static void normalize(Launcher launcher, DeviceMemory memory, CudaBuffer x, int[] group, double[] mean,
      double[] invStd, double[] gamma, double[] beta, CudaBuffer y) {
    try (DeviceArray g = group == null ? null : memory.ints(group, null, "normalize");
        CudaBuffer m = memory.doubles(mean);
        CudaBuffer s = memory.doubles(invStd);
        CudaBuffer ga = memory.doubles(gamma);
        CudaBuffer be = memory.doubles(beta)) {
      launcher.gridStride(Kernel.NORMALIZE, x.isDouble(), x.length(), x.rows(), (int) x.cols(), x.pointer(),
          g == null ? NULL : g.at(0), m.pointer(), s.pointer(), pointer(ga), pointer(be), y.pointer());
    }
  }

  static void backward(Launcher launcher, DeviceMemory memory, CudaBuffer gradOut, CudaBuffer x, int[] group,
      int groups, double[] mean, double[] invStd, double[] gamma, int[] count, CudaBuffer gradIn, double[] dGamma,
      double[] dBeta) {
    int c = (int) x.cols();
    int width = groups * c;
    int blocks = CudaBackend.REDUCTION_BLOCKS;
    try (DeviceArray g = group == null ? null : memory.ints(group, null, "normalize backward");
        CudaBuffer m = memory.doubles(mean);
        CudaBuffer s = memory.doubles(invStd);
        CudaBuffer ga = memory.doubles(gamma);
        CudaBuffer partials = memory.buffer(null, MemoryCategory.WORKSPACE, "normalize backward", DataType.DOUBLE,
            blocks, 2L * width);
        CudaBuffer sums = memory.buffer(null, MemoryCategory.WORKSPACE, "normalize backward", DataType.DOUBLE, 1,
            2L * width)) {
      CUdeviceptr groupPointer = g == null ? NULL : g.at(0);
      launcher.launch(Kernel.NORMALIZE_BACKWARD_PARTIALS, x.isDouble(), blocks, 1, Launcher.THREADS, 1, 0, x.rows(), c,
          gradOut.pointer(), x.pointer(), groupPointer, groups, m.pointer(), s.pointer(), Reductions.chunk(x.rows()),
          partials.pointer());
      double[] sum = Reductions.sum(launcher, memory, partials, sums, blocks, 2 * width);
      if (dGamma != null) {
        java.util.Arrays.fill(dGamma, 0);
        java.util.Arrays.fill(dBeta, 0);
        for (int i = 0; i < width; i++) {
          dBeta[i % c] += sum[i];
          dGamma[i % c] += sum[width + i];
        }
      }
      double[] meanD = null;
      double[] meanDx = null;
      if (count != null) {
        meanD = new double[width];
        meanDx = new double[width];
        for (int i = 0; i < width; i++) {
          double gammaC = gamma == null ? 1 : gamma[i % c];
          meanD[i] = gammaC * sum[i] / Math.max(1, count[i / c]);
          meanDx[i] = gammaC * sum[width + i] / Math.max(1, count[i / c]);
        }
      }
      try (CudaBuffer md = memory.doubles(meanD); CudaBuffer mdx = memory.doubles(meanDx)) {
        launcher.gridStride(Kernel.NORMALIZE_BACKWARD, x.isDouble(), x.length(), x.rows(), c, gradOut.pointer(),
            x.pointer(), groupPointer, m.pointer(), s.pointer(), pointer(ga), pointer(md), pointer(mdx),
            gradIn.pointer());
      }
    }
  }
}
