package org.jsparse.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsparse.core.convert.VolumeMasks;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.io.Inv3Reader;
import org.jsparse.core.io.NiftiReader;

/**
 * Benchmark inputs with real occupancy: the head CT of DATA.md when Debian's invesalius-examples
 * is installed, else a synthetic head-sized volume of nested spherical shells with a similar count.
 */
final class Volumes {
  static final Path CRANIUM = Path.of("/usr/share/doc/invesalius-examples/examples/Cranium.inv3");

  private Volumes() {}

  /** Which source the sites came from, for the report. */
  static String source() {
    return Files.exists(CRANIUM) ? "Cranium.inv3 CT (108x256x256)" : "synthetic shells (108x256x256)";
  }

  /** "shell", "bone" or "brain", one batch item. */
  static Coordinates sites(String which) {
    return switch (which) {
      case "shell" -> boneShell(1);
      case "bone" -> bone(1);
      case "brain" -> brain();
      default -> throw new IllegalArgumentException("volume must be shell, bone or brain, got " + which);
    };
  }

  static final Path BRAIN = Path.of("/usr/share/mricron/templates/ch2bet.nii.gz");

  /**
   * The brain mask of DATA.md (every voxel above 0 of the brain-extracted Colin27 T1 MRI of Debian's
   * mricron-data, 181x217x181, 1,737,193 sites, 24.4 %), or without it a synthetic ellipsoid of
   * about the same count; one batch item.
   */
  static Coordinates brain() {
    BrainMask b = brainMask();
    return VolumeMasks.coordinates(b.mask(), b.shape(), 1);
  }

  private record BrainMask(boolean[] mask, int[] shape) {}

  /** The brain mask of {@link #brain()} as a voxel mask with its shape. */
  private static BrainMask brainMask() {
    int[] shape = {181, 217, 181};
    boolean[] mask;
    if (Files.exists(BRAIN)) {
      try {
        NiftiReader.NiftiVolume mri = NiftiReader.read(BRAIN);
        shape = mri.shape();
        mask = mri.above(0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      mask = new boolean[shape[0] * shape[1] * shape[2]];
      for (int z = 0; z < shape[0]; z++) {
        for (int y = 0; y < shape[1]; y++) {
          for (int x = 0; x < shape[2]; x++) {
            double r = Math.pow((z - 90) / 68.0, 2) + Math.pow((y - 108) / 85.0, 2) + Math.pow((x - 90) / 68.0, 2);
            mask[(z * shape[1] + y) * shape[2] + x] = r < 1;
          }
        }
      }
    }
    return new BrainMask(mask, shape);
  }

  /** Which source the brain sites came from, for the report. */
  static String brainSource() {
    return Files.exists(BRAIN) ? "ch2bet.nii.gz MRI brain mask (181x217x181)" : "synthetic ellipsoid (181x217x181)";
  }

  /** Bone (HU >= 226) voxels, one batch item per {@code batches}. */
  static Coordinates bone(int batches) {
    return VolumeMasks.coordinates(boneMask(), SHAPE, batches);
  }

  /** The one-voxel shell of the bone. */
  static Coordinates boneShell(int batches) {
    return VolumeMasks.coordinates(VolumeMasks.shell(boneMask(), SHAPE), SHAPE, batches);
  }

  private static final int[] SHAPE = {108, 256, 256};

  private static boolean[] boneMask() {
    if (Files.exists(CRANIUM)) {
      try {
        return VolumeMasks.atLeast(Inv3Reader.read(CRANIUM).hu(), 226);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    boolean[] m = new boolean[SHAPE[0] * SHAPE[1] * SHAPE[2]];
    for (int z = 0; z < SHAPE[0]; z++) {
      for (int y = 0; y < SHAPE[1]; y++) {
        for (int x = 0; x < SHAPE[2]; x++) {
          double r = Math.sqrt(Math.pow((z - 54) * 1.6, 2) + Math.pow(y - 128, 2) + Math.pow(x - 128, 2));
          m[(z * SHAPE[1] + y) * SHAPE[2] + x] = (r > 80 && r < 85) || (r > 40 && r < 42);
        }
      }
    }
    return m;
  }

  /**
   * A real shell resampled into a {@code size^3} grid, batch 0: {@code "skull"} (the CT's bone,
   * 1.5 x 0.957 x 0.957 mm voxels) or {@code "brain"} (the MRI brain mask, 1 mm), each scaled
   * isotropically so its longest physical side spans the grid, a cell set when any voxel falls in
   * it, then that mask's one-voxel shell (DATA.md's shells, at the grid's resolution).
   */
  static Coordinates realShell(String which, int size) {
    boolean[] mask;
    int[] shape;
    double[] spacing;
    if (which.equals("skull")) {
      mask = boneMask();
      shape = SHAPE;
      spacing = new double[] {1.5, 0.957, 0.957};
    } else if (which.equals("brain")) {
      BrainMask brain = brainMask();
      mask = brain.mask();
      shape = brain.shape();
      spacing = new double[] {1, 1, 1};
    } else {
      throw new IllegalArgumentException("a real shell is skull or brain, got " + which);
    }
    double longest = 0;
    for (int a = 0; a < 3; a++) {
      longest = Math.max(longest, shape[a] * spacing[a]);
    }
    double cellsPerMm = size / longest;
    boolean[] cube = new boolean[size * size * size];
    for (int z = 0; z < shape[0]; z++) {
      int cz = Math.min(size - 1, (int) (z * spacing[0] * cellsPerMm));
      for (int y = 0; y < shape[1]; y++) {
        int cy = Math.min(size - 1, (int) (y * spacing[1] * cellsPerMm));
        for (int x = 0; x < shape[2]; x++) {
          if (mask[(z * shape[1] + y) * shape[2] + x]) {
            int cx = Math.min(size - 1, (int) (x * spacing[2] * cellsPerMm));
            cube[(cz * size + cy) * size + cx] = true;
          }
        }
      }
    }
    int[] cubeShape = {size, size, size};
    return VolumeMasks.coordinates(VolumeMasks.shell(cube, cubeShape), cubeShape, 1);
  }

  /** About {@code n} sites on a sphere shell three voxels thick (a skull-like surface: about 20 neighbours a site), batch 0. */
  static Coordinates sphereShell(int n) {
    double thickness = 3;
    double r = Math.sqrt(n / (4 * Math.PI * thickness));
    int extent = (int) Math.ceil(r + thickness) + 1;
    java.util.List<int[]> rows = new java.util.ArrayList<>();
    for (int x = -extent; x <= extent; x++) {
      for (int y = -extent; y <= extent; y++) {
        for (int z = -extent; z <= extent; z++) {
          double d = Math.sqrt((double) x * x + (double) y * y + (double) z * z);
          if (d >= r && d < r + thickness) {
            rows.add(new int[] {0, x, y, z});
          }
        }
      }
    }
    return Coordinates.of(rows.toArray(new int[0][]));
  }
}
