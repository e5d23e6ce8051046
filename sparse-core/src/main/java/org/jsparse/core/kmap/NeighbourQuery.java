package org.jsparse.core.kmap;

import org.jsparse.core.internal.CoordinatePacker;

/**
 * What a kernel map asks of packed coordinates, in the form a device builds it from: for every
 * offset k and output row o, the input row whose key is {@code outKeys[o] + deltas[k]}, provided
 * the offset keeps every axis inside its field ({@code axisOffsets[k * dimension + a]}, signed as the
 * map needs: {@code in = out + offset} for convolution and pooling, {@code out - offset} for a
 * transposed map). Keys are {@link CoordinatePacker}'s: batch, then each axis offset-binary in
 * {@code axisBits} bits, never negative. The pairs a builder returns are grouped by offset and, within
 * one, ordered by output row (the host builder's order).
 *
 * <p>Made by the {@link CoordinateManager} for a backend that builds maps itself
 * ({@link org.jsparse.core.backend.DeviceKernelMaps}); the arrays are the manager's copies, which the
 * builder may read but must not keep.
 *
 * @param inKeys one key per input row, in row order
 * @param outKeys one key per output row (the same array as {@code inKeys} for a map of a set onto itself)
 * @param deltas per offset, the key difference of a neighbour
 * @param axisOffsets per offset and axis, the signed offset (range checks)
 * @param dimension spatial axes D
 * @param axisBits bits of one axis's field
 */
public record NeighbourQuery(long[] inKeys, long[] outKeys, long[] deltas, int[] axisOffsets, int dimension,
    int axisBits) {

  /** Offsets of the map. */
  public int volume() {
    return deltas.length;
  }

  /** Input rows. */
  public int inRows() {
    return inKeys.length;
  }

  /** Output rows. */
  public int outRows() {
    return outKeys.length;
  }

  /** Bytes of the keys a builder reads (counted as workspace while it builds). */
  long bytes() {
    return 8L * (inKeys.length + (outKeys == inKeys ? 0 : outKeys.length)) + 12L * deltas.length;
  }

  /** The query of a map from packed table {@code in} to packed table {@code out}. */
  static NeighbourQuery of(CoordinatePacker packer, CoordinateTable in, CoordinateTable out, int[][] offsets,
      int sign) {
    int d = packer.dimension();
    int[] axisOffsets = new int[offsets.length * d];
    for (int k = 0; k < offsets.length; k++) {
      for (int a = 0; a < d; a++) {
        axisOffsets[k * d + a] = sign * offsets[k][a];
      }
    }
    long[] inKeys = in.keys();
    long[] outKeys = out == in ? inKeys : out.keys();
    return new NeighbourQuery(inKeys, outKeys, deltas(packer, offsets, sign), axisOffsets, d, packer.axisBits());
  }

  /** Per offset, the key difference {@code sum_a sign * offset[a] << shift(a)} of a neighbour. */
  static long[] deltas(CoordinatePacker packer, int[][] offsets, int sign) {
    long[] delta = new long[offsets.length];
    for (int k = 0; k < offsets.length; k++) {
      for (int a = 0; a < packer.dimension(); a++) {
        delta[k] += ((long) (sign * offsets[k][a])) << packer.shift(a);
      }
    }
    return delta;
  }
}
