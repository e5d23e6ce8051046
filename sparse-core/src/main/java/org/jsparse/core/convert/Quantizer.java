package org.jsparse.core.convert;

import java.util.Arrays;
import org.jsparse.core.internal.RowHash;
import org.jsparse.core.internal.WideRows;
import org.jsparse.core.coords.Coordinates;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float point coordinates to unique integer voxel coordinates {@code floor(p / voxelSize)}, with
 * the maps between points and voxels and the features of each voxel reduced from its points.
 */
public final class Quantizer {
  private Quantizer() {}

  /**
   * The result of a quantization.
   *
   * @param coordinates unique voxel rows {@code (batch, v1..vD)} in order of first appearance
   * @param uniqueIndex for each voxel, the first point that fell into it
   * @param inverseIndex for each point, its voxel row
   * @param features reduced features {@code [voxels, C]}, or null when none were given
   */
  public record Quantized(Coordinates coordinates, int[] uniqueIndex, int[] inverseIndex, INDArray features) {}

  /**
   * @param points {@code [N][D]} point coordinates
   * @param batch batch index of each point
   * @param voxelSize per-axis voxel edge, > 0
   * @param features {@code [N, C]} or null
   */
  public static Quantized quantize(double[][] points, int[] batch, double[] voxelSize, INDArray features, Reduction mode) {
    int n = points.length;
    if (batch.length != n || (features != null && features.size(0) != n)) {
      throw new IllegalArgumentException(
          "points (" + n + "), batch indices (" + batch.length + ") and feature rows ("
              + (features == null ? "none" : features.size(0)) + ") must agree");
    }
    int d = voxelSize.length;
    for (double v : voxelSize) {
      if (!(v > 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException("voxel size must be finite and > 0 on every axis, got " + Arrays.toString(voxelSize));
      }
    }
    int[] flat = new int[n * (d + 1)];
    int[] unique = new int[n];
    int[] inverse = new int[n];
    int rows = 0;
    try (WideRows seen = new WideRows(d + 1, Math.max(1, n)); RowHash hash = new RowHash(seen, Math.max(1, n))) {
      for (int i = 0; i < n; i++) {
        if (points[i].length != d) {
          throw new IllegalArgumentException("point " + i + " has " + points[i].length + " axes, voxel size has " + d);
        }
        if (batch[i] < 0) {
          throw new IllegalArgumentException("point " + i + " has batch index " + batch[i] + "; batch indices start at 0");
        }
        int base = rows * (d + 1);
        flat[base] = batch[i];
        for (int a = 0; a < d; a++) {
          double q = Math.floor(points[i][a] / voxelSize[a]);
          if (!Double.isFinite(points[i][a]) || q < Integer.MIN_VALUE || q > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                "point " + i + " " + Arrays.toString(points[i]) + " quantizes outside the int32 range on axis " + a
                    + " (or is not finite); use a larger voxel size or shift it");
          }
          flat[base + 1 + a] = (int) q;
        }
        int existing = hash.putIfAbsent(flat, base);
        if (existing < 0) {
          unique[rows] = i;
          inverse[i] = rows++;
        } else {
          inverse[i] = existing;
        }
      }
    }
    Coordinates coords = Coordinates.adopt(d, Arrays.copyOf(flat, rows * (d + 1)));
    INDArray reduced = features == null ? null : reduce(features, inverse, unique, rows, mode);
    return new Quantized(coords, Arrays.copyOf(unique, rows), inverse, reduced);
  }

  /** Reduces in double (sums and means are exact to double rounding) and returns the input's type. */
  private static INDArray reduce(INDArray features, int[] inverse, int[] unique, int rows, Reduction mode) {
    if (features.rank() != 2) {
      throw new IllegalArgumentException("features must be [N, C], got shape " + Arrays.toString(features.shape()));
    }
    DataType type = features.dataType();
    if (type != DataType.FLOAT && type != DataType.DOUBLE) {
      throw new IllegalArgumentException("features must be FLOAT or DOUBLE, got " + type + "; cast with castTo(DataType.FLOAT)");
    }
    int c = (int) features.size(1);
    double[] in = features.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    double[] out = new double[rows * c];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(in, unique[r] * c, out, r * c, c);
    }
    switch (mode) {
      case FIRST -> { }
      case SUM, MEAN -> {
        Arrays.fill(out, 0);
        int[] count = new int[rows];
        for (int i = 0; i < inverse.length; i++) {
          for (int j = 0; j < c; j++) {
            out[inverse[i] * c + j] += in[i * c + j];
          }
          count[inverse[i]]++;
        }
        if (mode == Reduction.MEAN) {
          for (int r = 0; r < rows; r++) {
            for (int j = 0; j < c; j++) {
              out[r * c + j] /= count[r];
            }
          }
        }
      }
      case MAX -> {
        for (int i = 0; i < inverse.length; i++) {
          for (int j = 0; j < c; j++) {
            double v = in[i * c + j];
            if (v > out[inverse[i] * c + j]) {
              out[inverse[i] * c + j] = v;
            }
          }
        }
      }
      default -> throw new IllegalStateException("unknown reduction " + mode);
    }
    INDArray reduced = Nd4j.create(out, new long[] {rows, c}, 'c');
    return type == DataType.DOUBLE ? reduced : reduced.castTo(type);
  }
}
