package org.jsparse.core.testing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jsparse.core.coords.Coordinates;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded random sparse test data: unique coordinates on a stride lattice, random features and weights. */
public final class RandomSparse {
  private RandomSparse() {}

  /**
   * Unique coordinates: each lattice point {@code lo + i * t} (i in [0, extent)) of each batch item
   * is active with probability {@code density}; at least one per batch item.
   */
  public static Coordinates coordinates(Random rnd, int batches, int dim, int extent, int lo, int t, double density) {
    Set<List<Integer>> rows = new LinkedHashSet<>();
    int cells = (int) Math.pow(extent, dim);
    for (int b = 0; b < batches; b++) {
      int before = rows.size();
      for (int cell = 0; cell < cells; cell++) {
        if (rnd.nextDouble() < density) {
          rows.add(row(b, cell, dim, extent, lo, t));
        }
      }
      if (rows.size() == before) {
        rows.add(row(b, rnd.nextInt(cells), dim, extent, lo, t));
      }
    }
    List<List<Integer>> shuffled = new ArrayList<>(rows);
    java.util.Collections.shuffle(shuffled, rnd);
    int[][] out = new int[shuffled.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = shuffled.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return Coordinates.of(out);
  }

  private static List<Integer> row(int b, int cell, int dim, int extent, int lo, int t) {
    List<Integer> r = new ArrayList<>();
    r.add(b);
    for (int a = 0; a < dim; a++) {
      r.add(lo + (cell % extent) * t);
      cell /= extent;
    }
    return r;
  }

  /** Uniform [-1, 1) matrix of the given shape and type. */
  public static INDArray uniform(Random rnd, DataType type, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    double[] v = new double[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextDouble() * 2 - 1;
    }
    return Nd4j.create(v, shape, 'c').castTo(type);
  }
}
