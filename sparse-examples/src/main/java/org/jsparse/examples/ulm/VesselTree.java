package org.jsparse.examples.ulm;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A procedural planar vessel tree for the ULM simulation: a root vessel enters the field of view
 * at its top edge and branches in two at every node with Murray's law ({@code r_parent^3 = r_1^3 +
 * r_2^3}, a random asymmetry), the smaller child turning more, until the radius falls under 4 um.
 * Lengths are in pixels of the coarse grid, one wavelength (98.6 um at 15.625 MHz) each; radii in
 * micrometres. Every root-to-leaf path is a flow path for {@link BubbleFlow}.
 */
public final class VesselTree {
  /** One coarse pixel: the wavelength 1540 m/s / 15.625 MHz, in micrometres. */
  public static final double PIXEL_UM = 1540.0 / 15.625;
  private static final double MIN_RADIUS_UM = 4;
  private static final int MAX_DEPTH = 9;

  /** A straight vessel piece from (x0, z0) to (x1, z1), px, of radius {@code radiusUm}; {@code parent} -1 for the root. */
  public record Segment(double x0, double z0, double x1, double z1, double radiusUm, int parent) {
    double length() {
      return Math.hypot(x1 - x0, z1 - z0);
    }
  }

  private final int width;
  private final List<Segment> segments = new ArrayList<>();
  private final List<FlowPath> paths = new ArrayList<>();

  private VesselTree(int width) {
    this.width = width;
  }

  /** A seeded tree over a {@code width} x {@code width} pixel field of view. */
  public static VesselTree grow(int width, SplittableRandom rnd) {
    if (width < 4) {
      throw new IllegalArgumentException("the field of view needs at least 4 pixels a side, got " + width);
    }
    VesselTree t = new VesselTree(width);
    double x = width * (0.3 + 0.4 * rnd.nextDouble());
    double angle = Math.PI / 2 + (rnd.nextDouble() - 0.5) * 0.5; // heading into the field (+z), +-15 degrees
    t.branch(x, -0.5, angle, 25 + 5 * rnd.nextDouble(), 0, -1, rnd);
    t.collectPaths();
    return t;
  }

  private void branch(double x, double z, double angle, double radius, int depth, int parent, SplittableRandom rnd) {
    double length = Math.max(1.2, 0.12 * radius) * (0.8 + 0.5 * rnd.nextDouble()) * width / 16.0;
    double x1 = x + length * Math.cos(angle);
    double z1 = z + length * Math.sin(angle);
    segments.add(new Segment(x, z, x1, z1, radius, parent));
    int me = segments.size() - 1;
    boolean outside = x1 < -1 || x1 > width + 1 || z1 < -1 || z1 > width + 1;
    if (outside || depth >= MAX_DEPTH) {
      return;
    }
    double asymmetry = 0.5 + 0.5 * rnd.nextDouble();
    double r1 = radius / Math.cbrt(1 + asymmetry * asymmetry * asymmetry);
    double r2 = asymmetry * r1;
    double turn = Math.toRadians(15 + 25 * rnd.nextDouble());
    boolean leftFirst = rnd.nextBoolean();
    if (r1 >= MIN_RADIUS_UM) {
      branch(x1, z1, angle + (leftFirst ? turn : -turn) * (1 - 0.5 * (1 - asymmetry)), r1, depth + 1, me, rnd);
    }
    if (r2 >= MIN_RADIUS_UM) {
      branch(x1, z1, angle - (leftFirst ? turn : -turn) * (1 + (1 - asymmetry)), r2, depth + 1, me, rnd);
    }
  }

  private void collectPaths() {
    boolean[] hasChild = new boolean[segments.size()];
    for (Segment s : segments) {
      if (s.parent() >= 0) {
        hasChild[s.parent()] = true;
      }
    }
    for (int leaf = 0; leaf < segments.size(); leaf++) {
      if (!hasChild[leaf]) {
        List<Segment> chain = new ArrayList<>();
        for (int s = leaf; s >= 0; s = segments.get(s).parent()) {
          chain.add(0, segments.get(s));
        }
        paths.add(FlowPath.of(chain));
      }
    }
  }

  /** The vessel pieces, parents before children. */
  public List<Segment> segments() {
    return List.copyOf(segments);
  }

  /** Every root-to-leaf flow path. */
  public List<FlowPath> paths() {
    return List.copyOf(paths);
  }

  public int width() {
    return width;
  }

  /**
   * A polyline from the root to a leaf, with arc length and the radius of each piece.
   *
   * @param arc {@code arc[i]} the arc length (px) where piece i starts; {@code arc[n]} the total
   */
  public record FlowPath(List<Segment> pieces, double[] arc, double minDiameterUm) {
    static FlowPath of(List<Segment> chain) {
      double[] arc = new double[chain.size() + 1];
      double minRadius = Double.MAX_VALUE;
      for (int i = 0; i < chain.size(); i++) {
        arc[i + 1] = arc[i] + chain.get(i).length();
        minRadius = Math.min(minRadius, chain.get(i).radiusUm());
      }
      return new FlowPath(List.copyOf(chain), arc, 2 * minRadius);
    }

    public double length() {
      return arc[arc.length - 1];
    }

    /** The piece that holds arc length {@code s}. */
    int pieceAt(double s) {
      int i = 0;
      while (i < pieces.size() - 1 && s >= arc[i + 1]) {
        i++;
      }
      return i;
    }

    /** The point at arc length {@code s}, moved {@code offset} px along the left normal: {x, z}. */
    double[] pointAt(double s, double offset) {
      int i = pieceAt(s);
      Segment p = pieces.get(i);
      double len = Math.max(1e-12, p.length());
      double f = Math.min(1, Math.max(0, (s - arc[i]) / len));
      double dx = (p.x1() - p.x0()) / len;
      double dz = (p.z1() - p.z0()) / len;
      return new double[] {p.x0() + f * (p.x1() - p.x0()) - dz * offset, p.z0() + f * (p.z1() - p.z0()) + dx * offset};
    }
  }
}
