package org.jsparse.examples.ulm;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A procedural vessel tree for the ULM simulation, planar (2 spatial axes) or in a volume (3): a
 * root vessel enters the field of view through its top (the last axis is depth) and branches in two
 * at every node with Murray's law ({@code r_parent^3 = r_1^3 + r_2^3}, a random asymmetry), the
 * smaller child turning more, until the radius falls under 4 um. Lengths are in pixels of the
 * coarse grid, one wavelength (98.6 um at 15.625 MHz) each; radii in micrometres. Every
 * root-to-leaf path is a flow path for {@link BubbleFlow}.
 */
public final class VesselTree {
  /** One coarse pixel: the wavelength 1540 m/s / 15.625 MHz, in micrometres. */
  public static final double PIXEL_UM = 1540.0 / 15.625;
  private static final double MIN_RADIUS_UM = 4;
  private static final int MAX_DEPTH = 9;

  /** A straight vessel piece from {@code start} to {@code end} (px) of radius {@code radiusUm}; {@code parent} -1 for the root. */
  public record Segment(double[] start, double[] end, double radiusUm, int parent) {
    double length() {
      double s = 0;
      for (int a = 0; a < start.length; a++) {
        s += (end[a] - start[a]) * (end[a] - start[a]);
      }
      return Math.sqrt(s);
    }

    /** The unit direction from start to end. */
    double[] direction() {
      double len = Math.max(1e-12, length());
      double[] d = new double[start.length];
      for (int a = 0; a < d.length; a++) {
        d[a] = (end[a] - start[a]) / len;
      }
      return d;
    }
  }

  private final int width;
  private final int dims;
  private final List<Segment> segments = new ArrayList<>();
  private final List<FlowPath> paths = new ArrayList<>();

  private VesselTree(int width, int dims) {
    this.width = width;
    this.dims = dims;
  }

  /** A seeded planar tree over a {@code width} x {@code width} pixel field of view. */
  public static VesselTree grow(int width, SplittableRandom rnd) {
    return grow(width, 2, rnd);
  }

  /** A seeded tree over a {@code width}^dims pixel field of view, {@code dims} 2 or 3. */
  public static VesselTree grow(int width, int dims, SplittableRandom rnd) {
    if (width < 4) {
      throw new IllegalArgumentException("the field of view needs at least 4 pixels a side, got " + width);
    }
    if (dims != 2 && dims != 3) {
      throw new IllegalArgumentException("a vessel tree has 2 or 3 spatial axes, got " + dims);
    }
    VesselTree t = new VesselTree(width, dims);
    double[] start = new double[dims];
    double[] direction = new double[dims];
    for (int a = 0; a < dims - 1; a++) {
      start[a] = width * (0.3 + 0.4 * rnd.nextDouble());
      direction[a] = (rnd.nextDouble() - 0.5) * 0.5; // a tilt of up to about 15 degrees
    }
    start[dims - 1] = -0.5;
    direction[dims - 1] = 1;
    t.branch(start, normalized(direction), 25 + 5 * rnd.nextDouble(), 0, -1, rnd);
    t.collectPaths();
    return t;
  }

  private static double[] normalized(double[] v) {
    double n = 0;
    for (double x : v) {
      n += x * x;
    }
    n = Math.sqrt(n);
    double[] u = new double[v.length];
    for (int a = 0; a < v.length; a++) {
      u[a] = v[a] / n;
    }
    return u;
  }

  /** A random unit vector perpendicular to the unit vector {@code d}. */
  static double[] perpendicular(double[] d, SplittableRandom rnd) {
    while (true) {
      double[] v = new double[d.length];
      double dot = 0;
      for (int a = 0; a < d.length; a++) {
        v[a] = rnd.nextGaussian();
        dot += v[a] * d[a];
      }
      double n = 0;
      for (int a = 0; a < d.length; a++) {
        v[a] -= dot * d[a];
        n += v[a] * v[a];
      }
      if (n > 1e-12) {
        return normalized(v);
      }
    }
  }

  private void branch(double[] start, double[] direction, double radius, int depth, int parent, SplittableRandom rnd) {
    double length = Math.max(1.2, 0.12 * radius) * (0.8 + 0.5 * rnd.nextDouble()) * width / 16.0;
    double[] end = new double[dims];
    boolean outside = false;
    for (int a = 0; a < dims; a++) {
      end[a] = start[a] + length * direction[a];
      outside |= end[a] < -1 || end[a] > width + 1;
    }
    segments.add(new Segment(start, end, radius, parent));
    int me = segments.size() - 1;
    if (outside || depth >= MAX_DEPTH) {
      return;
    }
    double asymmetry = 0.5 + 0.5 * rnd.nextDouble();
    double r1 = radius / Math.cbrt(1 + asymmetry * asymmetry * asymmetry);
    double r2 = asymmetry * r1;
    double turn = Math.toRadians(15 + 25 * rnd.nextDouble());
    double[] side = perpendicular(direction, rnd);
    double t1 = turn * (1 - 0.5 * (1 - asymmetry));
    double t2 = -turn * (1 + (1 - asymmetry));
    if (r1 >= MIN_RADIUS_UM) {
      branch(end, turned(direction, side, t1), r1, depth + 1, me, rnd);
    }
    if (r2 >= MIN_RADIUS_UM) {
      branch(end, turned(direction, side, t2), r2, depth + 1, me, rnd);
    }
  }

  private static double[] turned(double[] d, double[] side, double angle) {
    double[] v = new double[d.length];
    for (int a = 0; a < d.length; a++) {
      v[a] = Math.cos(angle) * d[a] + Math.sin(angle) * side[a];
    }
    return v;
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

  /** Spatial axes: 2 or 3. */
  public int dims() {
    return dims;
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

    /**
     * The point at arc length {@code s}, moved {@code offset} px along the part of the unit vector
     * {@code across} perpendicular to the vessel there.
     */
    double[] pointAt(double s, double[] across, double offset) {
      int i = pieceAt(s);
      Segment p = pieces.get(i);
      double f = Math.min(1, Math.max(0, (s - arc[i]) / Math.max(1e-12, p.length())));
      double[] d = p.direction();
      double dot = 0;
      for (int a = 0; a < d.length; a++) {
        dot += across[a] * d[a];
      }
      double[] normal = new double[d.length];
      double n = 0;
      for (int a = 0; a < d.length; a++) {
        normal[a] = across[a] - dot * d[a];
        n += normal[a] * normal[a];
      }
      n = Math.sqrt(n);
      double[] point = new double[d.length];
      for (int a = 0; a < d.length; a++) {
        point[a] = p.start()[a] + f * (p.end()[a] - p.start()[a]) + (n > 1e-12 ? offset * normal[a] / n : 0);
      }
      return point;
    }
  }
}
