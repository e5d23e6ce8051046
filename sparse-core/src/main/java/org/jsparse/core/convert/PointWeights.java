package org.jsparse.core.convert;

import java.util.Arrays;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A linear map from a tensor's rows to points: point p reads {@code sum over q in [start[p],
 * start[p+1]) of weights[q] * y[rows[q]]}. {@link #apply} reads a tensor at the points;
 * {@link #applyTransposed} sends per-point values back to the rows (the gradient of apply).
 * Sums run in a fixed order, in double.
 */
public record PointWeights(int tensorRows, int[] start, int[] rows, double[] weights) {
  /** A copy of the per-point starts. */
  @Override
  public int[] start() {
    return start.clone();
  }

  /** A copy of the rows read. */
  @Override
  public int[] rows() {
    return rows.clone();
  }

  /** A copy of the weights. */
  @Override
  public double[] weights() {
    return weights.clone();
  }

  /** Number of points. */
  public int points() {
    return start.length - 1;
  }

  /** {@code [points, C]} values of {@code y} (which must have {@link #tensorRows} rows) at the points, in y's type. */
  public INDArray apply(SparseTensor y) {
    if (y.size() != tensorRows) {
      throw new IllegalArgumentException("these weights read a tensor of " + tensorRows + " rows, got " + y.size());
    }
    int c = y.channels();
    double[] v = y.manager().backend().downloadDoubles(y.buffer());
    double[] out = new double[points() * c];
    for (int p = 0; p < points(); p++) {
      for (int q = start[p]; q < start[p + 1]; q++) {
        for (int j = 0; j < c; j++) {
          out[p * c + j] += weights[q] * v[rows[q] * c + j];
        }
      }
    }
    return typed(out, points(), c, y.dataType());
  }

  /** {@code [tensorRows, C]}: per-point values {@code [points, C]} sent back to the rows they read. */
  public INDArray applyTransposed(INDArray perPoint) {
    if (perPoint.rank() != 2 || perPoint.size(0) != points()) {
      throw new IllegalArgumentException("per-point values must be [" + points() + ", C], got "
          + Arrays.toString(perPoint.shape()));
    }
    int c = (int) perPoint.size(1);
    double[] g = perPoint.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    double[] out = new double[tensorRows * c];
    for (int p = 0; p < points(); p++) {
      for (int q = start[p]; q < start[p + 1]; q++) {
        for (int j = 0; j < c; j++) {
          out[rows[q] * c + j] += weights[q] * g[p * c + j];
        }
      }
    }
    return typed(out, tensorRows, c, perPoint.dataType());
  }

  private static INDArray typed(double[] v, int rows, int c, DataType type) {
    INDArray a = rows * c == 0 ? Nd4j.create(DataType.DOUBLE, rows, c) : Nd4j.create(v, new long[] {rows, c}, 'c');
    return type == DataType.DOUBLE ? a : a.castTo(type);
  }
}
