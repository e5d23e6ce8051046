package org.jsparse.core.internal;

import org.jsparse.core.coords.Coordinates;

/**
 * Packs a coordinate row {@code (batch, x1..xD)} into one non-negative {@code long} key.
 *
 * <p>Layout, most significant first: batch, then axis 1 ... axis D, each axis stored offset-binary
 * in a fixed number of bits, so the unsigned order of keys is the lexicographic order of rows. The
 * bit budget is 63 bits: D=1 gives 32 bits per axis and 31 for the batch; D=2: 24 and 15; D=3: 18
 * and 9; D=4: 14 and 7. Rows outside that range are rejected with a {@link KeyRangeException}
 * naming it (a manager then keeps its rows wide instead: {@link WideRows}).
 */
public final class CoordinatePacker {
  private static final int[] AXIS_BITS = {0, 32, 24, 18, 14};
  private final int dimension;
  private final int axisBits;
  private final int batchBits;
  private final long axisMask;
  private final int axisMin;
  private final int axisMax;
  private final int batchMax;

  /** A packer for D spatial axes, D in 1..4. */
  public CoordinatePacker(int dimension) {
    if (dimension < 1 || dimension > 4) {
      throw new IllegalArgumentException(
          "spatial dimension must be 1..4, got " + dimension + " (keys are packed in 63 bits)");
    }
    this.dimension = dimension;
    this.axisBits = AXIS_BITS[dimension];
    this.batchBits = 63 - dimension * axisBits;
    this.axisMask = (1L << axisBits) - 1;
    this.axisMin = (int) -(1L << (axisBits - 1));
    this.axisMax = (int) ((1L << (axisBits - 1)) - 1);
    this.batchMax = (int) Math.min(Integer.MAX_VALUE, (1L << batchBits) - 1);
  }

  public int dimension() {
    return dimension;
  }

  /** Smallest spatial coordinate a key can hold. */
  public int axisMin() {
    return axisMin;
  }

  /** Largest spatial coordinate a key can hold. */
  public int axisMax() {
    return axisMax;
  }

  /** Largest batch index a key can hold. */
  public int batchMax() {
    return batchMax;
  }

  /** Bits of one spatial axis inside a key. */
  public int axisBits() {
    return axisBits;
  }

  /** Bit shift of spatial axis {@code axis} inside a key. */
  public int shift(int axis) {
    return (dimension - 1 - axis) * axisBits;
  }

  /** True when every spatial value lies in [axisMin, axisMax]. */
  public boolean inRange(int value) {
    return value >= axisMin && value <= axisMax;
  }

  /** True when a row {@code (batch, x1..xD)} packs: batch in [0, batchMax], every axis in range. */
  public boolean fits(int[] row) {
    if (row[0] < 0 || row[0] > batchMax) {
      return false;
    }
    for (int a = 0; a < dimension; a++) {
      if (!inRange(row[1 + a])) {
        return false;
      }
    }
    return true;
  }

  /** True when row {@code row} of {@code coords} packs: batch in [0, batchMax], every axis in range. */
  public boolean fits(Coordinates coords, int row) {
    int b = coords.batch(row);
    if (b < 0 || b > batchMax) {
      return false;
    }
    for (int a = 0; a < dimension; a++) {
      if (!inRange(coords.get(row, a))) {
        return false;
      }
    }
    return true;
  }

  /** Packs row {@code row} of a flat (1+D)-wide array, checking the range. */
  public long pack(int[] flat, int row) {
    int base = row * (dimension + 1);
    long key = checkedBatch(flat[base], row);
    for (int a = 0; a < dimension; a++) {
      key = (key << axisBits) | ((long) checkedAxis(flat[base + 1 + a], a, row) - axisMin);
    }
    return key;
  }

  /** Packs row {@code row} of {@code coords}, checked like {@link #pack(int[], int)}. */
  public long pack(Coordinates coords, int row) {
    long key = checkedBatch(coords.batch(row), row);
    for (int a = 0; a < dimension; a++) {
      key = (key << axisBits) | ((long) checkedAxis(coords.get(row, a), a, row) - axisMin);
    }
    return key;
  }

  private int checkedBatch(int b, int row) {
    if (b < 0) {
      throw new IllegalArgumentException("batch index " + b + " at row " + row + " is negative; batch indices start at 0");
    }
    if (b > batchMax) {
      throw new KeyRangeException(
          "batch index " + b + " at row " + row + " is outside [0, " + batchMax + "] for D=" + dimension);
    }
    return b;
  }

  private int checkedAxis(int v, int axis, int row) {
    if (v < axisMin || v > axisMax) {
      throw new KeyRangeException(
          "coordinate " + v + " on axis " + axis + " at row " + row + " is outside the packed range ["
              + axisMin + ", " + axisMax + "] for D=" + dimension);
    }
    return v;
  }

  /** Packs a batch index and spatial values already known to be in range. */
  public long packUnchecked(int batch, int[] spatial) {
    long key = batch;
    for (int a = 0; a < dimension; a++) {
      key = (key << axisBits) | ((long) spatial[a] - axisMin);
    }
    return key;
  }

  /** Writes a key's row {@code (batch, x1..xD)} as row {@code row} of a flat (1+D)-wide array: the inverse of {@link #pack}. */
  public void unpack(long key, int[] flat, int row) {
    int base = row * (dimension + 1);
    flat[base] = batchOf(key);
    for (int a = 0; a < dimension; a++) {
      flat[base + 1 + a] = axisOf(key, a);
    }
  }

  /** The batch index of a key. */
  public int batchOf(long key) {
    return (int) (key >>> (dimension * axisBits));
  }

  /** Spatial value on one axis of a key. */
  public int axisOf(long key, int axis) {
    return (int) (((key >>> shift(axis)) & axisMask) + axisMin);
  }
}
