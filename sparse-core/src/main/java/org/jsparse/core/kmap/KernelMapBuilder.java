package org.jsparse.core.kmap;

import java.util.stream.IntStream;
import org.jsparse.core.coords.CoordinateHash;
import org.jsparse.core.coords.CoordinatePacker;
import org.jsparse.core.coords.Coordinates;

/**
 * Builds kernel maps by looking up, for every output row and every offset, the input coordinate
 * {@code out + sign * offset} in the input's hash. Output rows are cut into fixed-size chunks
 * processed in parallel and concatenated in chunk order, so the result does not depend on the
 * number of threads.
 */
final class KernelMapBuilder {
  private static final int CHUNK = 4096;

  private KernelMapBuilder() {}

  /**
   * Pairs for a convolution-like op.
   *
   * @param sign +1 for convolution and pooling ({@code in = out + offset}), -1 for transposed
   *     convolution ({@code in = out - offset})
   */
  static KernelMap build(CoordinatePacker packer, CoordinateMap in, Coordinates out, int[][] offsets, int sign) {
    int d = packer.dimension();
    int volume = offsets.length;
    int n = out.size();
    int chunks = (n + CHUNK - 1) / CHUNK;
    long[] delta = new long[volume];
    for (int k = 0; k < volume; k++) {
      for (int a = 0; a < d; a++) {
        delta[k] += ((long) (sign * offsets[k][a])) << packer.shift(a);
      }
    }
    int[] outFlat = out.sharedFlatView();
    CoordinateHash hash = in.hash;
    int[][][] chunkIn = new int[chunks][][];
    int[][][] chunkOut = new int[chunks][][];
    IntStream.range(0, chunks).parallel().forEach(c -> {
      int lo = c * CHUNK;
      int hi = Math.min(n, lo + CHUNK);
      int len = hi - lo;
      int[] neighbour = new int[len * volume];
      int[] count = new int[volume];
      for (int o = lo; o < hi; o++) {
        int base = o * (d + 1);
        long key = packer.pack(outFlat, o);
        int nb = (o - lo) * volume;
        for (int k = 0; k < volume; k++) {
          int row = -1;
          if (staysInRange(packer, outFlat, base, offsets[k], sign, d)) {
            row = hash.get(key + delta[k]);
          }
          neighbour[nb + k] = row;
          if (row >= 0) {
            count[k]++;
          }
        }
      }
      int[][] ins = new int[volume][];
      int[][] outs = new int[volume][];
      for (int k = 0; k < volume; k++) {
        ins[k] = new int[count[k]];
        outs[k] = new int[count[k]];
      }
      int[] fill = new int[volume];
      for (int i = 0; i < len; i++) {
        for (int k = 0; k < volume; k++) {
          int row = neighbour[i * volume + k];
          if (row >= 0) {
            ins[k][fill[k]] = row;
            outs[k][fill[k]++] = lo + i;
          }
        }
      }
      chunkIn[c] = ins;
      chunkOut[c] = outs;
    });
    return concatenate(chunkIn, chunkOut, volume, in.size(), n);
  }

  private static boolean staysInRange(CoordinatePacker packer, int[] flat, int base, int[] offset, int sign, int d) {
    for (int a = 0; a < d; a++) {
      if (!packer.inRange(flat[base + 1 + a] + sign * offset[a])) {
        return false;
      }
    }
    return true;
  }

  /** Pairs of rows with equal coordinates in two maps at the same stride (one offset). */
  static KernelMap alignment(CoordinatePacker packer, CoordinateMap in, Coordinates out) {
    return build(packer, in, out, new int[][] {new int[packer.dimension()]}, 1);
  }

  private static KernelMap concatenate(int[][][] chunkIn, int[][][] chunkOut, int volume, int inRows, int outRows) {
    int[] start = new int[volume + 1];
    for (int k = 0; k < volume; k++) {
      int total = 0;
      for (int[][] c : chunkIn) {
        total += c[k].length;
      }
      start[k + 1] = start[k] + total;
    }
    int[] in = new int[start[volume]];
    int[] out = new int[start[volume]];
    IntStream.range(0, volume).parallel().forEach(k -> {
      int p = start[k];
      for (int c = 0; c < chunkIn.length; c++) {
        int[] src = chunkIn[c][k];
        System.arraycopy(src, 0, in, p, src.length);
        System.arraycopy(chunkOut[c][k], 0, out, p, src.length);
        p += src.length;
      }
    });
    return new KernelMap(start, in, out, inRows, outRows);
  }
}
