package org.jsparse.core.convert;

import java.util.Arrays;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Continuous points and the voxels they fall in (MinkowskiEngine's {@code TensorField}): the
 * points are quantized to a sparse tensor (features reduced per voxel), a network runs on the
 * sparse tensor, and its output is read back at every point, either from the point's own site
 * ({@link #slicing}) or interpolated D-linearly between the centres of the 2^D sites around it
 * ({@link #interpolation}). Both readings are linear maps from a tensor's rows to the points
 * ({@link PointWeights}), so they differentiate with respect to the tensor's features.
 *
 * <p>Voxel {@code v} covers {@code [v, v + 1) * voxelSize} on each axis; a site of a tensor at
 * tensor stride t covers t voxels and has its centre at {@code (s + t/2) * voxelSize}.
 */
public final class PointField {
  private final double[][] points;
  private final int[] batch;
  private final double[] voxelSize;
  private final Quantizer.Quantized quantized;

  private PointField(double[][] points, int[] batch, double[] voxelSize, Quantizer.Quantized quantized) {
    this.points = points;
    this.batch = batch;
    this.voxelSize = voxelSize;
    this.quantized = quantized;
  }

  /** Quantizes {@code points} ({@code [N][D]}, batch index each) with per-axis {@code voxelSize}. */
  public static PointField of(double[][] points, int[] batch, double[] voxelSize) {
    Quantizer.Quantized q = Quantizer.quantize(points, batch, voxelSize, null, Reduction.FIRST);
    double[][] copy = new double[points.length][];
    for (int i = 0; i < points.length; i++) {
      copy[i] = points[i].clone();
    }
    return new PointField(copy, batch.clone(), voxelSize.clone(), q);
  }

  /** Number of points. */
  public int size() {
    return points.length;
  }

  /** Number of distinct voxels. */
  public int voxels() {
    return quantized.coordinates().size();
  }

  /** For each point, its voxel's row in {@link #sparse} (a copy). */
  public int[] voxelOfPoint() {
    return quantized.inverseIndex().clone();
  }

  /**
   * The voxels as a sparse tensor at stride 1 in {@code cm}, each with its points' features
   * ({@code [N, C]}) reduced by {@code mode}.
   */
  public SparseTensor sparse(CoordinateManager cm, INDArray pointFeatures, Reduction mode) {
    if (pointFeatures.rank() != 2 || pointFeatures.size(0) != points.length) {
      throw new IllegalArgumentException("point features must be [N = " + points.length + ", C], got "
          + Arrays.toString(pointFeatures.shape()));
    }
    Quantizer.Quantized q = Quantizer.quantize(points, batch, voxelSize, pointFeatures, mode);
    return SparseTensor.create(cm, q.coordinates(), TensorStride.uniform(voxelSize.length, 1), q.features());
  }

  /**
   * Each point reads the site of {@code y} that holds its voxel (at y's stride: the voxel floored
   * to a multiple of it), weight 1; a point whose site y lacks reads zeros.
   */
  public PointWeights slicing(SparseTensor y) {
    requireDimension(y);
    int d = voxelSize.length;
    int[] start = new int[points.length + 1];
    int[] rows = new int[points.length];
    double[] weights = new double[points.length];
    int n = 0;
    int[] site = new int[d + 1];
    for (int i = 0; i < points.length; i++) {
      site[0] = batch[i];
      int v = quantized.inverseIndex()[i];
      for (int a = 0; a < d; a++) {
        int t = y.tensorStride().get(a);
        site[1 + a] = Math.floorDiv(quantized.coordinates().get(v, a), t) * t;
      }
      int row = y.manager().rowOf(y.key(), site);
      if (row >= 0) {
        rows[n] = row;
        weights[n++] = 1;
      }
      start[i + 1] = n;
    }
    return new PointWeights(y.size(), start, Arrays.copyOf(rows, n), Arrays.copyOf(weights, n));
  }

  /**
   * Each point reads the D-linear interpolation of the centres of the 2^D sites of {@code y}
   * around it, over the sites y has, the weights normalised to sum to 1 (a point with no site
   * around it reads zeros).
   */
  public PointWeights interpolation(SparseTensor y) {
    requireDimension(y);
    int d = voxelSize.length;
    int corners = 1 << d;
    int[] start = new int[points.length + 1];
    int[] rows = new int[points.length * corners];
    double[] weights = new double[points.length * corners];
    int n = 0;
    long[] lower = new long[d];
    double[] frac = new double[d];
    int[] site = new int[d + 1];
    for (int i = 0; i < points.length; i++) {
      for (int a = 0; a < d; a++) {
        int t = y.tensorStride().get(a);
        double g = (points[i][a] / voxelSize[a] - t / 2.0) / t; // in units of sites, centres at integers
        lower[a] = (long) Math.floor(g);
        frac[a] = g - lower[a];
      }
      int first = n;
      double total = 0;
      for (int corner = 0; corner < corners; corner++) {
        double w = 1;
        site[0] = batch[i];
        boolean inRange = true;
        for (int a = 0; a < d; a++) {
          int bit = (corner >> a) & 1;
          w *= bit == 1 ? frac[a] : 1 - frac[a];
          long s = (lower[a] + bit) * y.tensorStride().get(a);
          inRange &= s >= Integer.MIN_VALUE && s <= Integer.MAX_VALUE;
          site[1 + a] = (int) s;
        }
        int row = inRange && w > 0 ? y.manager().rowOf(y.key(), site) : -1;
        if (row >= 0) {
          rows[n] = row;
          weights[n++] = w;
          total += w;
        }
      }
      for (int p = first; p < n; p++) {
        weights[p] /= total;
      }
      start[i + 1] = n;
    }
    return new PointWeights(y.size(), start, Arrays.copyOf(rows, n), Arrays.copyOf(weights, n));
  }

  private void requireDimension(SparseTensor y) {
    if (y.dimension() != voxelSize.length) {
      throw new IllegalArgumentException("the field has D=" + voxelSize.length + ", the tensor D=" + y.dimension());
    }
  }
}
