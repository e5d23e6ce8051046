package org.jsparse.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.core.testing.DenseReference;
import org.jsparse.core.testing.RandomSparse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-axis geometry (space + time: 3x3x3x1 kernels, space-only strides, per-axis dilation) against
 * the dense reference, and pooling against plain loops over each output's window.
 */
class AnisotropicAndPoolingTest {
  /** Kernel steps for per-axis sizes, first axis fastest, odd centred, even from 0. */
  static int[][] steps(int[] size) {
    int volume = 1;
    for (int s : size) {
      volume *= s;
    }
    int[][] steps = new int[volume][size.length];
    for (int k = 0; k < volume; k++) {
      int rest = k;
      for (int a = 0; a < size.length; a++) {
        int i = rest % size[a];
        rest /= size[a];
        steps[k][a] = size[a] % 2 == 1 ? i - size[a] / 2 : i;
      }
    }
    return steps;
  }

  @Test
  void spaceTimeKernelsAndStridesMatchDenseConvolution() {
    int[][] sizes = {{3, 3, 3, 1}, {2, 2, 2, 1}, {3, 1, 3, 3}};
    int[][] strides = {{1, 1, 1, 1}, {2, 2, 2, 1}, {2, 1, 3, 1}};
    int[][] dilations = {{1, 1, 1, 1}, {1, 1, 1, 1}, {2, 1, 1, 2}};
    int[] tIn = {1, 2, 1, 1};
    for (int c = 0; c < sizes.length; c++) {
      Random rnd = new Random(c);
      Coordinates coords = anisotropic(rnd, tIn);
      try (CoordinateManager cm = new CoordinateManager(4)) {
        INDArray f = RandomSparse.uniform(rnd, DataType.DOUBLE, coords.size(), 2);
        SparseTensor x = SparseTensor.create(cm, coords, TensorStride.of(tIn), f);
        KernelRegion region = KernelRegion.hypercube(sizes[c], dilations[c]);
        INDArray w = RandomSparse.uniform(rnd, DataType.DOUBLE, region.volume(), 2, 3);
        SparseTensor y = SparseConvolution.forward(x, w, null, ConvolutionSpec.strided(region, strides[c]));
        double[][] ref = DenseReference.denseConv(coords, DenseReference.matrix(f), tIn, strides[c], dilations[c],
            steps(sizes[c]), DenseReference.weight(w), y.coordinates());
        double[][] got = DenseReference.matrix(y.features());
        for (int r = 0; r < ref.length; r++) {
          for (int o = 0; o < 3; o++) {
            assertEquals(ref[r][o], got[r][o], 1e-9, "case " + c + " row " + r);
          }
        }
      }
    }
  }

  private static Coordinates anisotropic(Random rnd, int[] t) {
    List<int[]> rows = new java.util.ArrayList<>();
    for (int b = 0; b < 2; b++) {
      for (int i = 0; i < 5 * 4 * 5 * 6; i++) {
        if (rnd.nextDouble() < 0.25) {
          rows.add(new int[] {b, (i % 5 - 2) * t[0], (i / 5 % 4) * t[1], (i / 20 % 5 - 1) * t[2], (i / 100) * t[3]});
        }
      }
    }
    return Coordinates.of(rows.toArray(new int[0][]));
  }

  @ParameterizedTest
  @EnumSource(PoolingMode.class)
  void poolingMatchesPlainLoopsOverEachWindow(PoolingMode mode) {
    Random rnd = new Random(mode.ordinal());
    Coordinates coords = RandomSparse.coordinates(rnd, 2, 2, 9, -4, 1, 0.4);
    try (CoordinateManager cm = new CoordinateManager(2)) {
      INDArray f = RandomSparse.uniform(rnd, DataType.DOUBLE, coords.size(), 3);
      SparseTensor x = SparseTensor.create(cm, coords, TensorStride.uniform(2, 1), f);
      SparsePooling.Result res = SparsePooling.forward(x, KernelRegion.cube(2, 3), new int[] {2, 2}, mode);
      Map<List<Integer>, double[]> sites = new HashMap<>();
      double[][] fx = DenseReference.matrix(f);
      for (int r = 0; r < coords.size(); r++) {
        sites.put(DenseReference.key(coords, r), fx[r]);
      }
      Coordinates out = res.output().coordinates();
      double[][] got = DenseReference.matrix(res.output().features());
      for (int r = 0; r < out.size(); r++) {
        double[] acc = new double[3];
        java.util.Arrays.fill(acc, mode == PoolingMode.MAX ? Double.NEGATIVE_INFINITY : 0);
        int n = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            double[] v = sites.get(List.of(out.batch(r), out.get(r, 0) + dx, out.get(r, 1) + dy));
            if (v == null) {
              continue;
            }
            n++;
            for (int c = 0; c < 3; c++) {
              acc[c] = mode == PoolingMode.MAX ? Math.max(acc[c], v[c]) : acc[c] + v[c];
            }
          }
        }
        assertNotNull(n > 0 ? acc : null, "every output has an input in its window");
        for (int c = 0; c < 3; c++) {
          double expected = mode == PoolingMode.AVERAGE ? acc[c] / n : acc[c];
          assertEquals(expected, got[r][c], 1e-12, mode + " row " + r);
        }
      }
    }
  }

  @Test
  void globalPoolingMatchesPerBatchLoops() {
    Random rnd = new Random(8);
    Coordinates coords = RandomSparse.coordinates(rnd, 3, 2, 6, 0, 1, 0.3);
    try (CoordinateManager cm = new CoordinateManager(2)) {
      INDArray f = RandomSparse.uniform(rnd, DataType.DOUBLE, coords.size(), 2);
      SparseTensor x = SparseTensor.create(cm, coords, TensorStride.uniform(2, 1), f);
      double[][] fx = DenseReference.matrix(f);
      double[][] sum = new double[3][2];
      double[][] max = {{-9, -9}, {-9, -9}, {-9, -9}};
      int[] count = new int[3];
      for (int r = 0; r < coords.size(); r++) {
        int b = coords.batch(r);
        count[b]++;
        for (int c = 0; c < 2; c++) {
          sum[b][c] += fx[r][c];
          max[b][c] = Math.max(max[b][c], fx[r][c]);
        }
      }
      double[][] s = DenseReference.matrix(GlobalPooling.forward(x, PoolingMode.SUM).pooled());
      double[][] a = DenseReference.matrix(GlobalPooling.forward(x, PoolingMode.AVERAGE).pooled());
      double[][] m = DenseReference.matrix(GlobalPooling.forward(x, PoolingMode.MAX).pooled());
      for (int b = 0; b < 3; b++) {
        for (int c = 0; c < 2; c++) {
          assertEquals(sum[b][c], s[b][c], 1e-12);
          assertEquals(sum[b][c] / count[b], a[b][c], 1e-12);
          assertEquals(max[b][c], m[b][c], 1e-12);
        }
      }
    }
  }
}
