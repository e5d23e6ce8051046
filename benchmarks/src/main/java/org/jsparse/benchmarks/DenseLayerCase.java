package org.jsparse.benchmarks;

import java.util.SplittableRandom;
import org.jsparse.core.coords.Coordinates;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv3D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The inputs of the dense-against-sparse layer measurements: random active sites of a size^3 grid
 * at an occupancy (seeded, one batch item) or a real shell resampled into it, and ND4J's dense 3x3x3 conv3d (SAME padding, NCDHW)
 * with its backprop op, so the benchmark and the memory runner measure the same thing.
 */
public final class DenseLayerCase {
  /** ND4J's 3x3x3, stride 1, SAME-padded conv3d on NCDHW volumes. */
  public static final Conv3DConfig CONV3D = Conv3DConfig.builder().kD(3).kH(3).kW(3).sD(1).sH(1).sW(1).pD(1).pH(1)
      .pW(1).dD(1).dH(1).dW(1).paddingMode(PaddingMode.SAME).dataFormat("NCDHW").build();

  private DenseLayerCase() {}

  /** {@code round(occupancy * size^3)} distinct sites (at least one), seed 7. */
  public static Coordinates randomSites(int size, double occupancy) {
    SplittableRandom rnd = new SplittableRandom(7);
    int cells = size * size * size;
    int n = Math.max(1, (int) Math.round(occupancy * cells));
    boolean[] taken = new boolean[cells];
    int[][] rows = new int[n][];
    for (int k = 0; k < n; ) {
      int c = rnd.nextInt(cells);
      if (!taken[c]) {
        taken[c] = true;
        rows[k++] = new int[] {0, c / (size * size), c / size % size, c % size};
      }
    }
    return Coordinates.of(rows);
  }

  /**
   * The sites of one layer case: random at {@code occupancy} when {@code volume} is {@code "random"},
   * else the real shell {@code "skull"} or {@code "brain"} resampled into the grid (its own
   * occupancy; {@code occupancy} is ignored).
   */
  public static Coordinates sites(int size, double occupancy, String volume) {
    return volume.equals("random") ? randomSites(size, occupancy) : Volumes.realShell(volume, size);
  }

  /** Writes sites as flat ints (count, then rows of batch, z, y, x) for a point JVM to read with {@link #readSites}. */
  public static void writeSites(java.nio.file.Path file, Coordinates sites) throws java.io.IOException {
    try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file)))) {
      int[] flat = sites.toFlatArray();
      out.writeInt(flat.length);
      for (int v : flat) {
        out.writeInt(v);
      }
    }
  }

  /** The sites {@link #writeSites} wrote (D = 3). */
  public static Coordinates readSites(java.nio.file.Path file) throws java.io.IOException {
    try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file)))) {
      int[] flat = new int[in.readInt()];
      for (int i = 0; i < flat.length; i++) {
        flat[i] = in.readInt();
      }
      return Coordinates.adopt(3, flat);
    }
  }

  /** The integer arguments of {@code conv3dnew_bp} for {@link #CONV3D} on these arrays. */
  public static int[] backpropArgs(INDArray dense, INDArray weight) {
    return java.util.Arrays.stream(new Conv3D(dense, weight, null, CONV3D).iArgs()).mapToInt(v -> (int) v).toArray();
  }

  /** Input and weight gradients of the dense conv3d (the caller closes them). */
  public static INDArray[] backprop(INDArray dense, INDArray weight, INDArray gradOut, int[] args) {
    return Nd4j.exec(DynamicCustomOp.builder("conv3dnew_bp").addInputs(dense, weight, gradOut).addIntegerArguments(args)
        .build());
  }
}
