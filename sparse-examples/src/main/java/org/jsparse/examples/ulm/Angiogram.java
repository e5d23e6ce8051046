package org.jsparse.examples.ulm;

/**
 * A binary map of the fine output grid ({@code side x side}) that accumulates detections over
 * windows: the ULM image. Dice compares two of them.
 */
public final class Angiogram {
  private final int side;
  private final boolean[] on;

  public Angiogram(int side) {
    this.side = side;
    this.on = new boolean[side * side];
  }

  /** Marks fine pixel (x, z); ignores positions outside the grid. */
  public void mark(int x, int z) {
    if (x >= 0 && z >= 0 && x < side && z < side) {
      on[z * side + x] = true;
    }
  }

  public boolean get(int x, int z) {
    return on[z * side + x];
  }

  public int side() {
    return side;
  }

  /** Number of marked pixels. */
  public int count() {
    int n = 0;
    for (boolean b : on) {
      n += b ? 1 : 0;
    }
    return n;
  }

  /** 2|A and B| / (|A| + |B|); 1 when both are empty. */
  public double dice(Angiogram other) {
    if (other.side != side) {
      throw new IllegalArgumentException("angiograms of " + side + " and " + other.side + " pixels a side");
    }
    int both = 0;
    int a = 0;
    int b = 0;
    for (int i = 0; i < on.length; i++) {
      a += on[i] ? 1 : 0;
      b += other.on[i] ? 1 : 0;
      both += on[i] && other.on[i] ? 1 : 0;
    }
    return a + b == 0 ? 1 : 2.0 * both / (a + b);
  }
}
