package org.jsparse.core.backend.cpu;

import static org.jsparse.core.backend.cpu.CpuKernels.load;
import static org.jsparse.core.backend.cpu.CpuKernels.store;

import org.jsparse.core.internal.NativeInts;
import org.jsparse.core.kmap.KernelMap;

/**
 * Channel-wise convolution over a full kernel map: one weight per offset and channel, every pair
 * visited in offset then pair order (one order, whatever the thread count), accumulated in the
 * buffers' type.
 */
final class ChannelwiseKernels {
  private ChannelwiseKernels() {}

  private static void check(HostMatrix a, HostMatrix b, HostMatrix weight, KernelMap map, String op) {
    if (a.cols != b.cols || weight.cols != a.cols || weight.rows != map.volume()
        || a.elementBytes() != b.elementBytes() || a.elementBytes() != weight.elementBytes()) {
      throw new IllegalArgumentException(op + ": channel-wise weight must be [K = " + map.volume() + ", C = " + a.cols
          + "] of the features' type, got [" + weight.rows + ", " + weight.cols + "] " + weight.dataType()
          + " for features of " + a.cols + " and " + b.cols + " channels");
    }
  }

  static void forward(HostMatrix in, HostMatrix weight, KernelMap map, HostMatrix out) {
    check(in, out, weight, map, "channel-wise convolution");
    pairs(in, weight, map, out, false);
  }

  static void backwardInput(HostMatrix gradOut, HostMatrix weight, KernelMap map, HostMatrix gradIn) {
    check(gradOut, gradIn, weight, map, "channel-wise convolution backward");
    pairs(gradOut, weight, map, gradIn, true);
  }

  /** {@code dst[to] += w[k] * src[from]} for every pair, from/to = (in, out) forward, (out, in) backward. */
  private static void pairs(HostMatrix src, HostMatrix weight, KernelMap map, HostMatrix dst, boolean backward) {
    map.checkOpen();
    int c = src.cols;
    for (int k = 0; k < map.volume(); k++) {
      NativeInts ins = map.insOf(k);
      NativeInts outs = map.outsOf(k);
      for (int p = map.start(k); p < map.end(k); p++) {
        long from = (long) (backward ? outs.get(p) : ins.get(p)) * c;
        long to = (long) (backward ? ins.get(p) : outs.get(p)) * c;
        for (int j = 0; j < c; j++) {
          store(dst, to + j, load(dst, to + j) + load(weight, (long) k * c + j) * load(src, from + j));
        }
      }
    }
  }

  static void backwardWeight(HostMatrix in, HostMatrix gradOut, KernelMap map, HostMatrix gradWeight) {
    check(in, gradOut, gradWeight, map, "channel-wise weight gradient");
    map.checkOpen();
    int c = in.cols;
    double[] sums = new double[c];
    for (int k = 0; k < map.volume(); k++) {
      java.util.Arrays.fill(sums, 0);
      NativeInts ins = map.insOf(k);
      NativeInts outs = map.outsOf(k);
      for (int p = map.start(k); p < map.end(k); p++) {
        long i = (long) ins.get(p) * c;
        long o = (long) outs.get(p) * c;
        for (int j = 0; j < c; j++) {
          sums[j] += load(in, i + j) * load(gradOut, o + j);
        }
      }
      for (int j = 0; j < c; j++) {
        store(gradWeight, (long) k * c + j, load(gradWeight, (long) k * c + j) + sums[j]);
      }
    }
  }
}
