package org.jsparse.examples.ulm;

/**
 * A binary map of the fine output grid ({@code side^dims}, axis 0 fastest) that accumulates
 * detections over windows: the ULM image. Dice compares two of them.
 */
public final class Angiogram {
  private final int side;
  private final int dims;
  private final boolean[] on;

  /** A planar angiogram. */
  public Angiogram(int side) {
    this(side, 2);
  }

  public Angiogram(int side, int dims) {
    this.side = side;
    this.dims = dims;
    this.on = new boolean[(int) Math.pow(side, dims)];
  }

  /** Marks the fine pixel of the first {@code dims} values of {@code p}; ignores positions outside the grid. */
  public void mark(int[] p) {
    int i = 0;
    for (int a = dims - 1; a >= 0; a--) {
      if (p[a] < 0 || p[a] >= side) {
        return;
      }
      i = i * side + p[a];
    }
    on[i] = true;
  }

  /** Marks planar fine pixel (x, z). */
  public void mark(int x, int z) {
    mark(new int[] {x, z});
  }

  /** Planar pixel (x, z) of a planar angiogram. */
  public boolean get(int x, int z) {
    return on[z * side + x];
  }

  public int side() {
    return side;
  }

  public int dims() {
    return dims;
  }

  /** A planar view: this angiogram, or for a volume its maximum projection along axis 1 (x and depth kept). */
  public Angiogram planar() {
    if (dims == 2) {
      return this;
    }
    Angiogram p = new Angiogram(side, 2);
    for (int i = 0; i < on.length; i++) {
      if (on[i]) {
        p.mark(i % side, i / (side * side));
      }
    }
    return p;
  }

  /** The marked pixels as labels (1 marked, 0 not), axis 0 fastest. */
  public byte[] labels() {
    byte[] b = new byte[on.length];
    for (int i = 0; i < on.length; i++) {
      b[i] = (byte) (on[i] ? 1 : 0);
    }
    return b;
  }

  /** The NIfTI shape {@code [nz, ny, nx]} of {@link #labels} (a planar angiogram is one slice thick). */
  public int[] niftiShape() {
    return dims == 2 ? new int[] {1, side, side} : new int[] {side, side, side};
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
    if (other.side != side || other.dims != dims) {
      throw new IllegalArgumentException("angiograms of " + side + "^" + dims + " and " + other.side + "^" + other.dims);
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
