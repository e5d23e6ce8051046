package org.jsparse.examples.ct;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jsparse.core.convert.VolumeMasks;
import org.jsparse.core.io.Inv3Reader;

/**
 * The skull of the memory issue, made so that any library can build the same input: the head CT's
 * bone (HU >= 226), its largest 6-connected component cropped to its bounding box, scaled by
 * nearest neighbour into an R^3 grid, its one-voxel surface (mask minus its 6-connected erosion,
 * outside the grid empty), and a cut-out defect. Site counts to check: R=128 47,986 input /
 * 54,992 target; R=256 221,312 / 256,289; R=512 1,111,386 / 1,293,894.
 */
public final class SkullRecipe {
  /** Sites as {@code (z, y, x)} triples, row-major flat. */
  public record Skull(int resolution, int[] input, int[] target) {
    public int inputSites() {
      return input.length / 3;
    }

    public int targetSites() {
      return target.length / 3;
    }
  }

  private SkullRecipe() {}

  /** Builds the skull at resolution {@code r} from the InVesalius CT at {@code ct}. */
  public static Skull build(Path ct, int r) throws IOException {
    return cut(surface(ct, r), r);
  }

  /**
   * The bone surface at resolution {@code r}: the CT's bone (HU >= 226), its largest 6-connected
   * component cropped and scaled into an R^3 grid, minus its 6-connected erosion; row-major
   * {@code (z * r + y) * r + x}.
   */
  public static boolean[] surface(Path ct, int r) throws IOException {
    return VolumeMasks.shell(bone(ct, r), new int[] {r, r, r});
  }

  /**
   * The solid bone at resolution {@code r}: the CT's bone (HU >= 226), its largest 6-connected
   * component cropped to its bounding box and scaled by nearest neighbour into an R^3 grid;
   * row-major {@code (z * r + y) * r + x}.
   */
  public static boolean[] bone(Path ct, int r) throws IOException {
    Inv3Reader.CtVolume v = Inv3Reader.read(ct);
    int[] shape = v.shape();
    boolean[] bone = Morphology.largestComponent(VolumeMasks.atLeast(v.hu(), 226), shape);
    int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
    int[] hi = {-1, -1, -1};
    for (int z = 0; z < shape[0]; z++) {
      for (int y = 0; y < shape[1]; y++) {
        for (int x = 0; x < shape[2]; x++) {
          if (bone[(z * shape[1] + y) * shape[2] + x]) {
            int[] c = {z, y, x};
            for (int a = 0; a < 3; a++) {
              lo[a] = Math.min(lo[a], c[a]);
              hi[a] = Math.max(hi[a], c[a]);
            }
          }
        }
      }
    }
    int[] side = {hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1};
    double s = (r - 1.0) / Math.max(side[0], Math.max(side[1], side[2]));
    int[] n = new int[3];
    int[][] src = new int[3][];
    for (int a = 0; a < 3; a++) {
      n[a] = Math.min(r, (int) Math.floor(side[a] * s));
      src[a] = new int[n[a]];
      for (int i = 0; i < n[a]; i++) {
        src[a][i] = lo[a] + Math.min((int) Math.floor(i / s), side[a] - 1);
      }
    }
    boolean[] mask = new boolean[r * r * r];
    for (int z = 0; z < n[0]; z++) {
      for (int y = 0; y < n[1]; y++) {
        for (int x = 0; x < n[2]; x++) {
          mask[(z * r + y) * r + x] = bone[(src[0][z] * shape[1] + src[1][y]) * shape[2] + src[2][x]];
        }
      }
    }
    return mask;
  }

  private static Skull cut(boolean[] surface, int r) {
    int count = 0;
    for (boolean b : surface) {
      count += b ? 1 : 0;
    }
    int[] zs = new int[count];
    int[] ys = new int[count];
    int maxX = -1;
    int[] target = new int[3 * count];
    int k = 0;
    for (int z = 0; z < r; z++) {
      for (int y = 0; y < r; y++) {
        for (int x = 0; x < r; x++) {
          if (surface[(z * r + y) * r + x]) {
            zs[k] = z;
            ys[k] = y;
            maxX = Math.max(maxX, x);
            target[3 * k] = z;
            target[3 * k + 1] = y;
            target[3 * k + 2] = x;
            k++;
          }
        }
      }
    }
    int h = r / 6;
    int cz = (int) median(zs);
    int cy = (int) median(ys);
    int cx = maxX;
    int[] input = new int[3 * count];
    int m = 0;
    for (int i = 0; i < count; i++) {
      int z = target[3 * i];
      int y = target[3 * i + 1];
      int x = target[3 * i + 2];
      boolean removed = z >= cz - h && z < cz + h && y >= cy - h && y < cy + h && x >= cx - 2 * h;
      if (!removed) {
        input[m++] = z;
        input[m++] = y;
        input[m++] = x;
      }
    }
    return new Skull(r, Arrays.copyOf(input, m), target);
  }

  private static double median(int[] values) {
    int[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  }
}
