package org.jsparse.core.testing;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jsparse.core.coords.Coordinates;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Independent reference implementations for the tests: a real dense strided cross-correlation on
 * a grid (plain loops, double precision), and a dense scatter for transposed geometries. Nothing
 * here uses the library's hash, kernel maps or GEMM.
 */
public final class DenseReference {
  private DenseReference() {}

  /**
   * A dense strided, dilated cross-correlation computed on a dense grid at the input resolution and
   * read at {@code outCoords}. Padding per MinkowskiEngine's convention: odd K centred
   * (pad d(K-1)/2), even K corner-aligned (pad 0, the far end zero-extended). Grid origin on a
   * multiple of the output tensor stride.
   *
   * @param steps kernel positions per offset in kernel steps (already centred for odd K)
   * @param weight {@code [K, Cin, Cout]}
   */
  public static double[][] denseConv(Coordinates in, double[][] feats, int[] tIn, int[] convStride, int[] dilation,
      int[][] steps, double[][][] weight, Coordinates outCoords) {
    int d = in.dimension();
    int cin = feats[0].length;
    int cout = weight[0][0].length;
    int[] tOut = new int[d];
    int[] lo = new int[d];
    int[] hi = new int[d];
    Arrays.fill(lo, Integer.MAX_VALUE);
    Arrays.fill(hi, Integer.MIN_VALUE);
    int maxStep = 0;
    for (int[] s : steps) {
      for (int v : s) {
        maxStep = Math.max(maxStep, Math.abs(v));
      }
    }
    for (int a = 0; a < d; a++) {
      tOut[a] = tIn[a] * convStride[a];
      for (int r = 0; r < in.size(); r++) {
        lo[a] = Math.min(lo[a], in.get(r, a));
        hi[a] = Math.max(hi[a], in.get(r, a));
      }
      for (int r = 0; r < outCoords.size(); r++) {
        lo[a] = Math.min(lo[a], outCoords.get(r, a));
        hi[a] = Math.max(hi[a], outCoords.get(r, a));
      }
      int pad = (maxStep + 1) * dilation[a] * tIn[a];
      lo[a] = Math.floorDiv(lo[a] - pad, tOut[a]) * tOut[a];
      hi[a] = hi[a] + pad;
    }
    int[] shape = new int[d];
    int cells = 1;
    for (int a = 0; a < d; a++) {
      shape[a] = (hi[a] - lo[a]) / tIn[a] + 1;
      cells *= shape[a];
    }
    int batches = 0;
    for (int r = 0; r < in.size(); r++) {
      batches = Math.max(batches, in.batch(r) + 1);
    }
    for (int r = 0; r < outCoords.size(); r++) {
      batches = Math.max(batches, outCoords.batch(r) + 1);
    }
    double[][] grid = new double[batches * cells][cin];
    for (int r = 0; r < in.size(); r++) {
      grid[in.batch(r) * cells + cell(in, r, lo, tIn, shape)] = feats[r];
    }
    double[][] out = new double[outCoords.size()][cout];
    int[] pos = new int[d];
    for (int r = 0; r < outCoords.size(); r++) {
      // dense output index p on each axis; the dense conv reads grid index p*s + step*dilation
      for (int k = 0; k < steps.length; k++) {
        boolean inside = true;
        int flat = 0;
        int mult = 1;
        for (int a = 0; a < d; a++) {
          int p = (outCoords.get(r, a) - lo[a]) / tOut[a];
          pos[a] = p * convStride[a] + steps[k][a] * dilation[a];
          if (pos[a] < 0 || pos[a] >= shape[a]) {
            inside = false;
            break;
          }
          flat += pos[a] * mult;
          mult *= shape[a];
        }
        if (!inside) {
          continue;
        }
        double[] x = grid[outCoords.batch(r) * cells + flat];
        for (int i = 0; i < cin; i++) {
          if (x[i] == 0) {
            continue;
          }
          for (int o = 0; o < cout; o++) {
            out[r][o] += x[i] * weight[k][i][o];
          }
        }
      }
    }
    return out;
  }

  private static int cell(Coordinates c, int r, int[] lo, int[] t, int[] shape) {
    int flat = 0;
    int mult = 1;
    for (int a = 0; a < c.dimension(); a++) {
      flat += ((c.get(r, a) - lo[a]) / t[a]) * mult;
      mult *= shape[a];
    }
    return flat;
  }

  /**
   * Transposed scatter: {@code out[c + offset_k] += in[c] W[k]} over all input rows and offsets,
   * returned as a map from coordinate row (batch first) to feature vector.
   */
  public static Map<List<Integer>, double[]> scatter(Coordinates in, double[][] feats, int[][] offsets, double[][][] weight) {
    Map<List<Integer>, double[]> out = new HashMap<>();
    int cout = weight[0][0].length;
    for (int r = 0; r < in.size(); r++) {
      for (int k = 0; k < offsets.length; k++) {
        Integer[] key = new Integer[in.dimension() + 1];
        key[0] = in.batch(r);
        for (int a = 0; a < in.dimension(); a++) {
          key[a + 1] = in.get(r, a) + offsets[k][a];
        }
        double[] acc = out.computeIfAbsent(List.of(key), x -> new double[cout]);
        for (int i = 0; i < feats[r].length; i++) {
          for (int o = 0; o < cout; o++) {
            acc[o] += feats[r][i] * weight[k][i][o];
          }
        }
      }
    }
    return out;
  }

  /** A coordinate row as a list, for set and map keys. */
  public static List<Integer> key(Coordinates c, int r) {
    return Arrays.stream(c.row(r)).boxed().toList();
  }

  public static double[][] matrix(INDArray a) {
    return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
  }

  public static double[][][] weight(INDArray w) {
    int k = (int) w.size(0);
    double[][][] out = new double[k][][];
    for (int i = 0; i < k; i++) {
      out[i] = matrix(w.slice(i));
    }
    return out;
  }
}
