package org.jsparse.core.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch and its items: the rows, coordinates and features of each batch item of a tensor
 * (MinkowskiEngine's {@code decomposition_permutations}, {@code decomposed_coordinates} and
 * {@code decomposed_features}), per-item sums of row values, and the collation of a list of
 * point sets into one batch ({@code sparse_collate}).
 */
public final class Batches {
  private Batches() {}

  /**
   * One collated batch: coordinates with the item's position in the list as batch index, and the
   * items' features stacked in the same order.
   */
  public record Collated(Coordinates coordinates, INDArray features) {}

  /**
   * Stacks items into one batch: item i's spatial coordinates {@code coordinates.get(i)} ({@code [N_i][D]},
   * no batch column) get batch index i; its features {@code [N_i, C]} (one type and C for all
   * items) are stacked below the previous items'. Items may be empty.
   */
  public static Collated collate(List<int[][]> coordinates, List<INDArray> features) {
    if (coordinates.size() != features.size() || coordinates.isEmpty()) {
      throw new IllegalArgumentException("collate needs one feature matrix per coordinate list and at least one item, got "
          + coordinates.size() + " coordinate lists and " + features.size() + " feature matrices");
    }
    int d = -1;
    long c = features.get(0).rank() == 2 ? features.get(0).size(1) : -1;
    DataType type = features.get(0).dataType();
    int total = 0;
    for (int i = 0; i < coordinates.size(); i++) {
      INDArray f = features.get(i);
      if (f.rank() != 2 || f.size(1) != c || f.dataType() != type || f.size(0) != coordinates.get(i).length) {
        throw new IllegalArgumentException("item " + i + ": features must be [N_i = " + coordinates.get(i).length
            + ", C = " + c + "] of " + type + " like item 0, got " + Arrays.toString(f.shape()) + " " + f.dataType());
      }
      for (int[] row : coordinates.get(i)) {
        if (d < 0) {
          d = row.length;
        } else if (row.length != d) {
          throw new IllegalArgumentException("item " + i + " has a coordinate of " + row.length + " axes, earlier ones "
              + d + "; all items need the same D");
        }
      }
      total = Math.addExact(total, coordinates.get(i).length);
    }
    if (d < 1) {
      throw new IllegalArgumentException("every item is empty: there is no coordinate to tell the dimension");
    }
    int[] flat = new int[total * (d + 1)];
    int r = 0;
    for (int i = 0; i < coordinates.size(); i++) {
      for (int[] row : coordinates.get(i)) {
        flat[r * (d + 1)] = i;
        System.arraycopy(row, 0, flat, r * (d + 1) + 1, d);
        r++;
      }
    }
    List<INDArray> nonEmpty = features.stream().filter(f -> f.size(0) > 0).toList();
    INDArray stacked = nonEmpty.isEmpty() ? Nd4j.create(type, 0, c)
        : nonEmpty.size() == 1 ? nonEmpty.get(0).dup('c') : Nd4j.vstack(nonEmpty.toArray(new INDArray[0]));
    return new Collated(Coordinates.fromFlat(d, flat), stacked);
  }

  /** For batch index b = 0 .. B-1 (B = largest index + 1), the rows of {@code x} in item b, ascending. */
  public static List<int[]> rowsPerItem(SparseTensor x) {
    int[] batchOfRow = x.manager().batchIndices(x.key());
    int batches = x.size() == 0 ? 0 : GlobalPooling.batchCount(x);
    int[] counts = new int[batches];
    for (int b : batchOfRow) {
      counts[b]++;
    }
    List<int[]> rows = new ArrayList<>(batches);
    for (int b = 0; b < batches; b++) {
      rows.add(new int[counts[b]]);
    }
    int[] filled = new int[batches];
    for (int r = 0; r < batchOfRow.length; r++) {
      int b = batchOfRow[r];
      rows.get(b)[filled[b]++] = r;
    }
    return rows;
  }

  /** For each batch item, its spatial coordinates {@code [N_b][D]} (no batch column), in row order. */
  public static List<int[][]> coordinatesPerItem(SparseTensor x) {
    Coordinates all = x.coordinates();
    List<int[][]> out = new ArrayList<>();
    for (int[] rows : rowsPerItem(x)) {
      int[][] item = new int[rows.length][];
      for (int i = 0; i < rows.length; i++) {
        item[i] = Arrays.copyOfRange(all.row(rows[i]), 1, x.dimension() + 1);
      }
      out.add(item);
    }
    return out;
  }

  /** For each batch item, a copy of its features {@code [N_b, C]}, in row order. */
  public static List<INDArray> featuresPerItem(SparseTensor x) {
    List<INDArray> out = new ArrayList<>();
    for (int[] rows : rowsPerItem(x)) {
      out.add(gather(x, x.buffer(), rows));
    }
    return out;
  }

  /** Rows {@code rows} of {@code values} (a buffer on x's backend), as a new ND4J array. */
  static INDArray gather(SparseTensor x, Buffer values, int[] rows) {
    CoordinateManager cm = x.manager();
    Buffer out = cm.backend().zeros(null, null, "batch item", values.dataType(), rows.length, values.cols());
    if (rows.length > 0) {
      cm.backend().gatherRows(values, rows, out);
    }
    return OnBackend.array(cm, out);
  }

  /**
   * Per batch item, the sum of {@code rowValues} ({@code [N, C]}, aligned with x's rows) over the
   * item's rows: {@code [B, C]}. The gradient of a broadcast ({@link GlobalPooling#broadcast}).
   */
  public static INDArray sumPerItem(SparseTensor x, INDArray rowValues) {
    if (rowValues.rank() != 2 || rowValues.size(0) != x.size()) {
      throw new IllegalArgumentException("per-row values must be [N = " + x.size() + ", C], got "
          + Arrays.toString(rowValues.shape()));
    }
    CoordinateManager cm = x.manager();
    try (Buffer v = OnBackend.borrow(cm, rowValues, x.size())) {
      return OnBackend.array(cm, sumPerItem(x, v));
    }
  }

  /**
   * {@link #sumPerItem(SparseTensor, INDArray)} on a buffer of x's backend, into a new uncounted
   * {@code [B, C]} buffer there that the caller takes over.
   */
  public static Buffer sumPerItem(SparseTensor x, Buffer rowValues) {
    if (rowValues.rows() != x.size()) {
      throw new IllegalArgumentException("per-row values must have N = " + x.size() + " rows, got " + rowValues.rows());
    }
    CoordinateManager cm = x.manager();
    Buffer out = OnBackend.gradient(cm, rowValues.dataType(), GlobalPooling.batchCount(x), rowValues.cols());
    cm.backend().scatterAddRows(rowValues, cm.batchIndices(x.key()), out, 1.0);
    return out;
  }
}
