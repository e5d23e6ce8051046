package org.jsparse.examples.ulm;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Microbubbles flowing through a {@link VesselTree} at a steady count: each follows a root-to-leaf
 * path chosen with probability proportional to the path's smallest diameter to the power 3.7
 * (Hingot et al. 2019), at the speed of the vessel it is in, {@code v_max = exp(1.9 ln d - 6)} mm/s
 * for a diameter d in micrometres, times a Poiseuille factor {@code 1 - x^2} (x uniform in [-1, 1],
 * at least 0.3) matched by its distance from the centreline; a bubble leaving its path is replaced
 * by a new one at the root, so the count stays {@code count}. Seeded; frames are 1 ms apart.
 */
public final class BubbleFlow {
  /** Microbubble radius, um. */
  static final double BUBBLE_RADIUS_UM = 1.5;

  private final List<VesselTree.FlowPath> paths;
  private final double[] cumulativeWeight;
  private final SplittableRandom rnd;
  private final int[] path;
  private final double[] arc;
  private final double[] factor;
  private final double[] offset;
  private final double[][] across;
  private final double[] amplitude;
  private final double[] phase;

  public BubbleFlow(VesselTree tree, int count, SplittableRandom rnd) {
    if (count < 0) {
      throw new IllegalArgumentException("a bubble count is >= 0, got " + count);
    }
    this.paths = tree.paths();
    this.rnd = rnd;
    this.cumulativeWeight = new double[paths.size()];
    double total = 0;
    for (int i = 0; i < paths.size(); i++) {
      total += Math.pow(paths.get(i).minDiameterUm(), 3.7);
      cumulativeWeight[i] = total;
    }
    path = new int[count];
    arc = new double[count];
    factor = new double[count];
    offset = new double[count];
    across = new double[count][];
    amplitude = new double[count];
    phase = new double[count];
    for (int b = 0; b < count; b++) {
      spawn(b);
      arc[b] = rnd.nextDouble() * paths.get(path[b]).length(); // start in the steady state, spread along the paths
    }
  }

  private void spawn(int b) {
    double u = rnd.nextDouble() * cumulativeWeight[cumulativeWeight.length - 1];
    int p = 0;
    while (cumulativeWeight[p] < u) {
      p++;
    }
    path[b] = p;
    arc[b] = 0;
    double x = 2 * rnd.nextDouble() - 1;
    factor[b] = Math.max(0.3, 1 - x * x);
    offset[b] = Math.sqrt(1 - factor[b]);
    across[b] = new double[paths.get(p).pieces().get(0).start().length];
    for (int a = 0; a < across[b].length; a++) {
      across[b][a] = rnd.nextGaussian(); // a random direction across the vessel
    }
    amplitude[b] = Math.exp(0.25 * rnd.nextGaussian());
    phase[b] = 2 * Math.PI * rnd.nextDouble();
  }

  /** Speed in pixels per millisecond of a bubble in a vessel of radius {@code radiusUm} at Poiseuille factor f. */
  static double speedPxPerMs(double radiusUm, double f) {
    double vMaxMmPerS = Math.exp(1.9 * Math.log(2 * radiusUm) - 6); // 1 mm/s = 1 um/ms
    return vMaxMmPerS * f / VesselTree.PIXEL_UM;
  }

  /** Moves every bubble by one frame (1 ms), replacing those that left their path. */
  public void step() {
    for (int b = 0; b < path.length; b++) {
      VesselTree.FlowPath p = paths.get(path[b]);
      arc[b] += speedPxPerMs(p.pieces().get(p.pieceAt(arc[b])).radiusUm(), factor[b]);
      if (arc[b] >= p.length()) {
        spawn(b);
      }
    }
  }

  public int count() {
    return path.length;
  }

  /** Bubble {@code b}'s position in pixels, one coordinate per spatial axis (its radial offset scaled by the vessel's free radius). */
  public double[] position(int b) {
    VesselTree.FlowPath p = paths.get(path[b]);
    double radiusUm = p.pieces().get(p.pieceAt(arc[b])).radiusUm();
    double free = Math.max(0, radiusUm - BUBBLE_RADIUS_UM) / VesselTree.PIXEL_UM;
    return p.pointAt(arc[b], across[b], offset[b] * free);
  }

  /** Echo amplitude (log-normal) and phase of bubble b. */
  public double amplitude(int b) {
    return amplitude[b];
  }

  public double phase(int b) {
    return phase[b];
  }
}
