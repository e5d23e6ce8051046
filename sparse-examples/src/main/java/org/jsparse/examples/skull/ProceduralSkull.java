package org.jsparse.examples.skull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Procedural skulls and defects for the completion example, after the seed's recipe: the shell
 * between two ellipsoids (semi-axes about 0.38, 0.45, 0.40 of the grid, thickness about 2.5%)
 * with a low-frequency random radial perturbation, cut below a random base plane; the defect is a
 * square column or a sphere near the top (AutoImplant's defect injection). Voxels are (x, y, z)
 * triples on an N^3 grid.
 *
 * @param skull every skull voxel
 * @param defective the skull without the defect region (the network's input)
 * @param implant the removed voxels (what the network should add)
 */
public record ProceduralSkull(List<int[]> skull, List<int[]> defective, List<int[]> implant) {
  /** A skull on an n^3 grid drawn from {@code seed}. */
  public static ProceduralSkull generate(int n, long seed) {
    if (n < 16) {
      throw new IllegalArgumentException("a skull needs a grid of at least 16^3, got " + n);
    }
    Random rnd = new Random(seed);
    double[] axes = {0.38 * n * (0.9 + 0.2 * rnd.nextDouble()), 0.45 * n * (0.9 + 0.2 * rnd.nextDouble()),
        0.40 * n * (0.9 + 0.2 * rnd.nextDouble())};
    double thickness = Math.max(1.2, 0.025 * n * (0.8 + 0.4 * rnd.nextDouble()));
    double[] wave = {rnd.nextDouble() * 2 * Math.PI, rnd.nextDouble() * 2 * Math.PI, 0.03 + 0.03 * rnd.nextDouble()};
    double base = n / 2.0 - 0.1 * n * rnd.nextDouble();
    boolean sphere = rnd.nextBoolean();
    double side = n * (0.18 + 0.08 * rnd.nextDouble());
    double cx = n / 2.0 + (rnd.nextDouble() - 0.5) * 0.2 * n;
    double cy = n / 2.0 + (rnd.nextDouble() - 0.5) * 0.2 * n;
    double c = n / 2.0;
    List<int[]> skull = new ArrayList<>();
    List<int[]> defective = new ArrayList<>();
    List<int[]> implant = new ArrayList<>();
    for (int x = 0; x < n; x++) {
      for (int y = 0; y < n; y++) {
        for (int z = 0; z < n; z++) {
          if (z < base - 0.3 * n) {
            continue;
          }
          double dx = (x - c) / axes[0];
          double dy = (y - c) / axes[1];
          double dz = (z - c) / axes[2];
          double r = Math.sqrt(dx * dx + dy * dy + dz * dz);
          double theta = Math.atan2(dy, dx);
          double phi = Math.acos(Math.max(-1, Math.min(1, dz / Math.max(r, 1e-9))));
          double radius = 1 + wave[2] * Math.sin(2 * theta + wave[0]) * Math.sin(3 * phi + wave[1]);
          double distance = (r - radius) * Math.min(axes[0], Math.min(axes[1], axes[2]));
          if (Math.abs(distance) > thickness / 2) {
            continue;
          }
          int[] v = {x, y, z};
          skull.add(v);
          boolean inDefect = sphere
              ? Math.pow(x - cx, 2) + Math.pow(y - cy, 2) + Math.pow(z - 0.85 * n, 2) < Math.pow(side / 1.6, 2)
              : Math.abs(x - cx) < side / 2 && Math.abs(y - cy) < side / 2 && z > 0.75 * n;
          (inDefect ? implant : defective).add(v);
        }
      }
    }
    return new ProceduralSkull(skull, defective, implant);
  }
}
