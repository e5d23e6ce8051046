package org.jsparse.examples.ct;

import java.util.SplittableRandom;

/**
 * Defects cut out of the top of a skull surface, as in the AutoImplant challenge: a cube, a
 * sphere or a rounded box of random size (a sixth to a third of the grid across) centred on a
 * random surface voxel of the top cap (the last quarter of the grid along x, the axis the memory
 * issue's recipe cuts along).
 */
public final class Defects {
  /** The shapes a defect takes. */
  public enum Shape { CUBE, SPHERE, ROUNDED_BOX }

  /** One defect: its shape, centre {@code (z, y, x)} and half-sizes per axis. */
  public record Defect(Shape shape, int[] centre, double[] halfSize) {
    /** True when voxel {@code (z, y, x)} lies inside the defect. */
    public boolean contains(int z, int y, int x) {
      double dz = (z - centre[0]) / halfSize[0];
      double dy = (y - centre[1]) / halfSize[1];
      double dx = (x - centre[2]) / halfSize[2];
      return switch (shape) {
        case CUBE -> Math.abs(dz) <= 1 && Math.abs(dy) <= 1 && Math.abs(dx) <= 1;
        case SPHERE -> dz * dz + dy * dy + dx * dx <= 1;
        case ROUNDED_BOX -> dz * dz * dz * dz + dy * dy * dy * dy + dx * dx * dx * dx <= 1;
      };
    }
  }

  private Defects() {}

  /** Where the top cap starts along x: a quarter of the grid below the surface's highest x. */
  public static int capStart(boolean[] surface, int r) {
    int maxX = -1;
    for (int i = 0; i < surface.length; i++) {
      if (surface[i]) {
        maxX = Math.max(maxX, i % r);
      }
    }
    return maxX - r / 4;
  }

  /** A random defect on the top cap of {@code surface} ({@code r^3}, row-major z, y, x). */
  public static Defect random(boolean[] surface, int r, SplittableRandom rnd) {
    int capFrom = capStart(surface, r);
    int cap = 0;
    for (int i = 0; i < surface.length; i++) {
      if (surface[i] && i % r >= capFrom) {
        cap++;
      }
    }
    if (cap == 0) {
      throw new IllegalArgumentException("the surface is empty: no skull to cut a defect from");
    }
    int pick = rnd.nextInt(cap);
    int centre = -1;
    for (int i = 0; i < surface.length && centre < 0; i++) {
      if (surface[i] && i % r >= capFrom && pick-- == 0) {
        centre = i;
      }
    }
    Shape shape = Shape.values()[rnd.nextInt(Shape.values().length)];
    double[] half = new double[3];
    double base = r / 12.0 + rnd.nextDouble() * r / 12.0;
    for (int a = 0; a < 3; a++) {
      half[a] = shape == Shape.ROUNDED_BOX ? base * (0.75 + 0.5 * rnd.nextDouble()) : base;
    }
    return new Defect(shape, new int[] {centre / (r * r), centre / r % r, centre % r}, half);
  }
}
