package org.jsparse.core.convert;

import java.util.Arrays;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A sparse tensor to a dense volume {@code [B, C, S1..SD]} at the tensor's own stride: the site
 * at coordinate c goes to grid index {@code (c - origin) / t} on each axis; absent sites are zero.
 */
public final class SparseToDense {
  private SparseToDense() {}

  /** Dense grid with origin 0 and the given spatial shape; B = largest batch index + 1. */
  public static INDArray toDense(SparseTensor x, int[] spatialShape) {
    return toDense(x, new int[x.dimension()], spatialShape);
  }

  /**
   * Dense grid of spatial shape {@code spatialShape} whose index 0 sits at coordinate
   * {@code origin}; every coordinate must fall inside, or the call fails naming the row.
   */
  public static INDArray toDense(SparseTensor x, int[] origin, int[] spatialShape) {
    return toDense(x, -1, origin, spatialShape);
  }

  /**
   * Like {@link #toDense(SparseTensor, int[], int[])} with an explicit batch count (trailing batch
   * items without sites stay zero); {@code batches < 0} means largest batch index + 1.
   */
  public static INDArray toDense(SparseTensor x, int batches, int[] origin, int[] spatialShape) {
    Layout l = layout(x, batches, origin, spatialShape);
    INDArray out = Nd4j.zeros(x.dataType(), l.shape);
    Object values = x.manager().backend().download(x.buffer());
    int ch = x.channels();
    if (values instanceof float[] f) {
      java.nio.FloatBuffer dense = out.data().asNioFloat();
      for (int r = 0; r < l.cellOfRow.length; r++) {
        for (int c = 0; c < ch; c++) {
          dense.put((l.batchOfRow[r] * ch + c) * l.cells + l.cellOfRow[r], f[r * ch + c]);
        }
      }
    } else {
      double[] v = (double[]) values;
      java.nio.DoubleBuffer dense = out.data().asNioDouble();
      for (int r = 0; r < l.cellOfRow.length; r++) {
        for (int c = 0; c < ch; c++) {
          dense.put((l.batchOfRow[r] * ch + c) * l.cells + l.cellOfRow[r], v[r * ch + c]);
        }
      }
    }
    return out;
  }

  /**
   * The values of a dense volume {@code [B, C, S1..SD]} at the sites of {@code x}, as x's
   * {@code [N, C]} feature layout (in x's type): the adjoint of {@link #toDense}, so the gradient
   * of one is the other. Site c is read at grid index {@code (c - origin) / t}; every site must fall
   * inside the volume and the volume must have x's channel count.
   */
  public static INDArray readAtSites(SparseTensor x, INDArray dense, int[] origin) {
    int d = x.dimension();
    if (dense.rank() != d + 2 || dense.size(1) != x.channels()) {
      throw new IllegalArgumentException("the dense volume must be [B, C = " + x.channels() + ", S1..S" + d
          + "], got " + Arrays.toString(dense.shape()));
    }
    int[] spatial = new int[d];
    for (int a = 0; a < d; a++) {
      spatial[a] = (int) dense.size(a + 2);
    }
    Layout l = layout(x, (int) dense.size(0), origin, spatial);
    int ch = x.channels();
    double[] v = dense.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    double[] out = new double[l.cellOfRow.length * ch];
    for (int r = 0; r < l.cellOfRow.length; r++) {
      for (int c = 0; c < ch; c++) {
        out[r * ch + c] = v[(l.batchOfRow[r] * ch + c) * l.cells + l.cellOfRow[r]];
      }
    }
    INDArray values = Nd4j.create(out, new long[] {l.cellOfRow.length, ch}, 'c');
    return x.dataType() == DataType.DOUBLE ? values : values.castTo(x.dataType());
  }

  /** Where each site of x lands in a dense grid: its batch, its cell, and the grid's shape. */
  private record Layout(long[] shape, int cells, int[] batchOfRow, int[] cellOfRow) {}

  private static Layout layout(SparseTensor x, int batches, int[] origin, int[] spatialShape) {
    int d = x.dimension();
    if (origin.length != d || spatialShape.length != d) {
      throw new IllegalArgumentException("origin and shape need D=" + d + " entries");
    }
    Coordinates coords = x.coordinates();
    int needed = 0;
    for (int r = 0; r < coords.size(); r++) {
      needed = Math.max(needed, coords.batch(r) + 1);
    }
    if (batches >= 0 && batches < needed) {
      throw new IllegalArgumentException("the tensor has batch index " + (needed - 1) + " but only " + batches
          + " batch rows were asked for");
    }
    batches = batches < 0 ? needed : batches;
    int cells = 1;
    for (int s : spatialShape) {
      cells = Math.multiplyExact(cells, s);
    }
    int ch = x.channels();
    long[] shape = new long[d + 2];
    shape[0] = Math.max(1, batches);
    shape[1] = ch;
    for (int a = 0; a < d; a++) {
      shape[a + 2] = spatialShape[a];
    }
    long elements = shape[0] * ch * (long) cells;
    if (elements * x.dataType().width() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a dense volume of " + Arrays.toString(shape) + " takes "
          + elements * x.dataType().width() + " bytes, over the 2 GiB one dense array can hold here; convert a crop "
          + "(a smaller origin and shape) or fewer channels");
    }
    int[] cellOfRow = new int[coords.size()];
    int[] batchOfRow = new int[coords.size()];
    for (int r = 0; r < coords.size(); r++) {
      int cell = 0;
      for (int a = 0; a < d; a++) {
        int t = x.tensorStride().get(a);
        int offset = coords.get(r, a) - origin[a];
        int i = Math.floorDiv(offset, t);
        if (offset % t != 0 || i < 0 || i >= spatialShape[a]) {
          throw new IllegalArgumentException(
              "coordinate " + Arrays.toString(coords.row(r)) + " is outside the dense grid (origin "
                  + Arrays.toString(origin) + ", shape " + Arrays.toString(spatialShape) + ", stride " + x.tensorStride()
                  + ")");
        }
        cell = cell * spatialShape[a] + i;
      }
      cellOfRow[r] = cell;
      batchOfRow[r] = coords.batch(r);
    }
    return new Layout(shape, cells, batchOfRow, cellOfRow);
  }
}
