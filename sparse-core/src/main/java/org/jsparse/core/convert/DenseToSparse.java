package org.jsparse.core.convert;

import it.unimi.dsi.fastutil.ints.IntArrays;
import java.util.Arrays;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dense volumes {@code [B, C, X1..XD]} (INDArray, or a flat c-order float[] with its shape) to
 * sparse tensors at tensor stride 1, by threshold, top-k or an explicit mask. A site's coordinate
 * is its grid index {@code (b, i1..iD)}; rows come in c-order (batch, then the last axis fastest).
 * Features keep the dense data type (float[] input gives FLOAT).
 */
public final class DenseToSparse {
  private DenseToSparse() {}

  /** Sites where any channel's value is {@code >= threshold}. */
  public static SparseTensor threshold(CoordinateManager cm, INDArray dense, double threshold) {
    Grid g = Grid.of(dense);
    boolean[] active = new boolean[g.batches * g.cells];
    for (int b = 0; b < g.batches; b++) {
      for (int cell = 0; cell < g.cells; cell++) {
        active[b * g.cells + cell] = g.max(b, cell) >= threshold;
      }
    }
    return build(cm, g, active, dense.dataType());
  }

  /** Like {@link #threshold(CoordinateManager, INDArray, double)} on a flat c-order array of shape {@code [B, C, X1..XD]}. */
  public static SparseTensor threshold(CoordinateManager cm, float[] dense, long[] shape, double threshold) {
    return threshold(cm, Nd4j.create(dense, shape, 'c'), threshold);
  }

  /**
   * The {@code k} sites of each batch item with the largest channel maximum (ties: lower grid
   * index first), returned in grid order. A batch item with fewer than k sites gives them all.
   */
  public static SparseTensor topK(CoordinateManager cm, INDArray dense, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
    }
    Grid g = Grid.of(dense);
    boolean[] active = new boolean[g.batches * g.cells];
    int[] order = new int[g.cells];
    double[] max = new double[g.cells];
    for (int b = 0; b < g.batches; b++) {
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
        max[i] = g.max(b, i);
      }
      // primitive sort (no boxed Integer per cell); the index tie-break makes the order total
      IntArrays.quickSort(order, (p, q) -> {
        int c = Double.compare(max[q], max[p]);
        return c != 0 ? c : Integer.compare(p, q);
      });
      for (int i = 0; i < Math.min(k, g.cells); i++) {
        active[b * g.cells + order[i]] = true;
      }
    }
    return build(cm, g, active, dense.dataType());
  }

  /** Sites where {@code mask [B, X1..XD]} is non-zero. */
  public static SparseTensor mask(CoordinateManager cm, INDArray dense, INDArray mask) {
    Grid g = Grid.of(dense);
    long[] expected = new long[dense.rank() - 1];
    expected[0] = dense.size(0);
    System.arraycopy(dense.shape(), 2, expected, 1, dense.rank() - 2);
    if (!Arrays.equals(mask.shape(), expected)) {
      throw new IllegalArgumentException(
          "mask must have shape " + Arrays.toString(expected) + " ([B, X1..XD] of the dense input), got "
              + Arrays.toString(mask.shape()));
    }
    double[] m = mask.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    boolean[] active = new boolean[m.length];
    for (int i = 0; i < m.length; i++) {
      active[i] = m[i] != 0;
    }
    return build(cm, g, active, dense.dataType());
  }

  private static SparseTensor build(CoordinateManager cm, Grid g, boolean[] active, DataType type) {
    if (cm.dimension() != g.dimension) {
      throw new IllegalArgumentException(
          "the dense input has D=" + g.dimension + " spatial axes but the manager has D=" + cm.dimension());
    }
    int n = 0;
    for (boolean a : active) {
      n += a ? 1 : 0;
    }
    int d = g.dimension;
    int[] coords = new int[n * (d + 1)];
    double[] feats = new double[n * g.channels];
    int row = 0;
    for (int i = 0; i < active.length; i++) {
      if (!active[i]) {
        continue;
      }
      int b = i / g.cells;
      int cell = i % g.cells;
      coords[row * (d + 1)] = b;
      int rest = cell;
      for (int a = d - 1; a >= 0; a--) {
        coords[row * (d + 1) + 1 + a] = rest % g.spatial[a];
        rest /= g.spatial[a];
      }
      for (int c = 0; c < g.channels; c++) {
        feats[row * g.channels + c] = g.value(b, c, cell);
      }
      row++;
    }
    INDArray f = n == 0 ? Nd4j.create(type, 0, g.channels)
        : Nd4j.create(feats, new long[] {n, g.channels}, 'c').castTo(type);
    return SparseTensor.create(cm, Coordinates.adopt(d, coords), TensorStride.uniform(d, 1), f); // checked before insert
  }

  /** The dense input as a flat double array with its layout. */
  private static final class Grid {
    final int batches;
    final int channels;
    final int dimension;
    final int[] spatial;
    final int cells;
    final double[] data;

    private Grid(INDArray dense) {
      if (dense.rank() < 3 || dense.rank() > 6) {
        throw new IllegalArgumentException(
            "dense input must be [B, C, X1..XD] with D = 1..4, got shape " + Arrays.toString(dense.shape()));
      }
      batches = (int) dense.size(0);
      channels = (int) dense.size(1);
      dimension = dense.rank() - 2;
      spatial = new int[dimension];
      int c = 1;
      for (int a = 0; a < dimension; a++) {
        spatial[a] = (int) dense.size(a + 2);
        c = Math.multiplyExact(c, spatial[a]);
      }
      cells = c;
      data = dense.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    static Grid of(INDArray dense) {
      return new Grid(dense);
    }

    double value(int b, int c, int cell) {
      return data[(b * channels + c) * cells + cell];
    }

    double max(int b, int cell) {
      double m = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < channels; c++) {
        m = Math.max(m, value(b, c, cell));
      }
      return m;
    }
  }
}
