package org.jsparse.core.kmap;

/**
 * Checks of the pair arrays a caller hands to {@link KernelMap}'s public constructor: kernels
 * index rows by them without bounds checks, so a bad pair must fail here, with the reason.
 */
final class UserPairs {
  private UserPairs() {}

  /** The offset starts rise from 0 to the pair count; ins and outs have one entry per pair. */
  static int[] checkedStarts(int[] offsetStart, int[] in, int[] out) {
    if (offsetStart.length < 2 || offsetStart[0] != 0 || in.length != out.length
        || offsetStart[offsetStart.length - 1] != in.length) {
      throw new IllegalArgumentException("a kernel map needs K+1 >= 2 offset starts from 0 to the pair count ("
          + in.length + " input rows, " + out.length + " output rows given; starts "
          + java.util.Arrays.toString(offsetStart) + ")");
    }
    for (int k = 1; k < offsetStart.length; k++) {
      if (offsetStart[k] < offsetStart[k - 1]) {
        throw new IllegalArgumentException("kernel-map offset starts must not decrease: "
            + java.util.Arrays.toString(offsetStart));
      }
    }
    return offsetStart;
  }

  static int[] checkedRows(int[] rows, int count, String side) {
    for (int p = 0; p < rows.length; p++) {
      if (rows[p] < 0 || rows[p] >= count) {
        throw new IllegalArgumentException("pair " + p + " names " + side + " row " + rows[p] + ", outside [0, " + count
            + ")");
      }
    }
    return rows;
  }
}
