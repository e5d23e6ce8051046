package org.jsparse.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.core.testing.DenseReference;
import org.jsparse.core.testing.RandomSparse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every convolution geometry against an independent dense cross-correlation read at the output
 * coordinates (D 1..4, K 1/2/3/5, stride 1..3, dilation 1..2, tensor stride 1/2/4, negative
 * coordinates, two batch items), plus the exact output coordinate sets, transposed conv as the
 * adjoint of the strided conv, and generative conv against a dense scatter.
 */
class ConvolutionGeometryTest {
  private static final int[] EXTENT = {0, 14, 7, 5, 4};
  private static final double[] DENSITY = {0, 0.5, 0.35, 0.25, 0.2};

  static Stream<Arguments> geometries() {
    List<Arguments> cases = new ArrayList<>();
    for (int d = 1; d <= 4; d++) {
      for (int k : new int[] {1, 2, 3, 5}) {
        for (int s = 1; s <= 3; s++) {
          for (int dil = 1; dil <= 2; dil++) {
            for (int t : new int[] {1, 2, 4}) {
              if (d == 4 && k == 5 && (s != 2 || t == 4)) {
                continue; // 625 offsets: keep two representative cases of the largest kernel
              }
              cases.add(Arguments.of(d, k, s, dil, t));
            }
          }
        }
      }
    }
    return cases.stream();
  }

  /** Kernel steps computed here, independently: k = i1 + K*(i2 + ...), odd K centred, even K from 0. */
  static int[][] steps(int d, int k) {
    int volume = (int) Math.pow(k, d);
    int[][] steps = new int[volume][d];
    for (int idx = 0; idx < volume; idx++) {
      int rest = idx;
      for (int a = 0; a < d; a++) {
        int i = rest % k;
        rest /= k;
        steps[idx][a] = k % 2 == 1 ? i - k / 2 : i;
      }
    }
    return steps;
  }

  static int[] filled(int d, int v) {
    int[] a = new int[d];
    java.util.Arrays.fill(a, v);
    return a;
  }

  @ParameterizedTest(name = "D={0} K={1} stride={2} dilation={3} t={4}")
  @MethodSource("geometries")
  void stridedAndSubmanifoldMatchDenseConvolution(int d, int k, int s, int dil, int t) {
    Random rnd = new Random(31L * d + 7L * k + 3L * s + dil + 101L * t);
    Coordinates coords = RandomSparse.coordinates(rnd, 2, d, EXTENT[d], -3 * t, t, DENSITY[d]);
    int cin = 3;
    int cout = 2;
    try (CoordinateManager cm = new CoordinateManager(d)) {
      INDArray feats = RandomSparse.uniform(rnd, DataType.DOUBLE, coords.size(), cin);
      SparseTensor x = SparseTensor.create(cm, coords, TensorStride.uniform(d, t), feats);
      KernelRegion region = KernelRegion.hypercube(filled(d, k), filled(d, dil));
      INDArray w = RandomSparse.uniform(rnd, DataType.DOUBLE, region.volume(), cin, cout);
      SparseTensor y = SparseConvolution.forward(x, w, null, ConvolutionSpec.strided(region, filled(d, s)));

      int tOut = t * s;
      Set<List<Integer>> expected = new HashSet<>();
      for (int r = 0; r < coords.size(); r++) {
        List<Integer> key = new ArrayList<>();
        key.add(coords.batch(r));
        for (int a = 0; a < d; a++) {
          key.add(Math.floorDiv(coords.get(r, a), tOut) * tOut);
        }
        expected.add(key);
      }
      Coordinates outCoords = y.coordinates();
      Set<List<Integer>> actual = new HashSet<>();
      for (int r = 0; r < outCoords.size(); r++) {
        actual.add(DenseReference.key(outCoords, r));
      }
      assertEquals(expected, actual, "output coordinate set");
      assertEquals(expected.size(), outCoords.size(), "no duplicate output rows");
      assertEquals(TensorStride.uniform(d, tOut), y.tensorStride());

      double[][] ref = DenseReference.denseConv(coords, DenseReference.matrix(feats), filled(d, t), filled(d, s),
          filled(d, dil), steps(d, k), DenseReference.weight(w), outCoords);
      double[][] got = DenseReference.matrix(y.features());
      for (int r = 0; r < ref.length; r++) {
        for (int c = 0; c < cout; c++) {
          assertEquals(ref[r][c], got[r][c], 1e-9, "row " + r + " channel " + c);
        }
      }
    }
  }

  static Stream<Arguments> transposedCases() {
    List<Arguments> cases = new ArrayList<>();
    for (int d = 1; d <= 4; d++) {
      for (int k : new int[] {1, 2, 3}) {
        for (int s = 1; s <= 3; s++) {
          cases.add(Arguments.of(d, k, s, 1 + (d + k) % 2, d % 2 == 0 ? 2 : 1));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "D={0} K={1} stride={2} dilation={3} t={4}")
  @MethodSource("transposedCases")
  void transposedIsTheAdjointOfStrided(int d, int k, int s, int dil, int t) {
    Random rnd = new Random(17L * d + k + 5L * s);
    Coordinates coords = RandomSparse.coordinates(rnd, 2, d, EXTENT[d], -2 * t, t, DENSITY[d]);
    int cin = 3;
    int cout = 4;
    try (CoordinateManager cm = new CoordinateManager(d)) {
      SparseTensor x = SparseTensor.create(cm, coords, TensorStride.uniform(d, t),
          RandomSparse.uniform(rnd, DataType.DOUBLE, coords.size(), cin));
      KernelRegion region = KernelRegion.hypercube(filled(d, k), filled(d, dil));
      INDArray w = RandomSparse.uniform(rnd, DataType.DOUBLE, region.volume(), cin, cout);
      SparseTensor cx = SparseConvolution.forward(x, w, null, ConvolutionSpec.strided(region, filled(d, s)));
      SparseTensor y = cx.withFeatures(RandomSparse.uniform(rnd, DataType.DOUBLE, cx.size(), cout));
      INDArray wT = w.permute(0, 2, 1).dup('c');
      SparseTensor ty = SparseConvolution.forward(y, wT, null, ConvolutionSpec.transposed(region, filled(d, s)));

      assertEquals(x.key(), ty.key(), "transposed conv lands on the encoder's map");
      double lhs = cx.features().mul(y.features()).sumNumber().doubleValue();
      double rhs = x.features().mul(ty.features()).sumNumber().doubleValue();
      assertEquals(lhs, rhs, 1e-9 * Math.max(1, Math.abs(lhs)), "<conv(x), y> = <x, convT(y)>");
      assertTrue(cx.features().norm2Number().doubleValue() > 0 || k == 1, "non-trivial output");
    }
  }

  @ParameterizedTest(name = "D={0} K={1} stride={2} dilation={3} t={4}")
  @MethodSource("transposedCases")
  void generativeTransposedMatchesDenseScatter(int d, int k, int s, int dil, int t) {
    Random rnd = new Random(71L * d + k + 13L * s);
    int tIn = t * s;
    Coordinates coords = RandomSparse.coordinates(rnd, 2, d, EXTENT[d] - 1, -tIn, tIn, DENSITY[d]);
    int cin = 2;
    int cout = 3;
    try (CoordinateManager cm = new CoordinateManager(d)) {
      INDArray feats = RandomSparse.uniform(rnd, DataType.DOUBLE, coords.size(), cin);
      SparseTensor x = SparseTensor.create(cm, coords, TensorStride.uniform(d, tIn), feats);
      KernelRegion region = KernelRegion.hypercube(filled(d, k), filled(d, dil));
      INDArray w = RandomSparse.uniform(rnd, DataType.DOUBLE, region.volume(), cin, cout);
      SparseTensor y = SparseConvolution.forward(x, w, null, ConvolutionSpec.generative(region, filled(d, s)));

      int[][] steps = steps(d, k);
      int[][] offsets = new int[steps.length][d];
      for (int i = 0; i < steps.length; i++) {
        for (int a = 0; a < d; a++) {
          offsets[i][a] = steps[i][a] * dil * t;
        }
      }
      Map<List<Integer>, double[]> ref = DenseReference.scatter(coords, DenseReference.matrix(feats), offsets,
          DenseReference.weight(w));
      Coordinates out = y.coordinates();
      assertEquals(ref.size(), out.size(), "generated coordinate count");
      assertEquals(TensorStride.uniform(d, t), y.tensorStride());
      double[][] got = DenseReference.matrix(y.features());
      for (int r = 0; r < out.size(); r++) {
        double[] expected = ref.get(DenseReference.key(out, r));
        assertTrue(expected != null, "unexpected generated coordinate " + DenseReference.key(out, r));
        for (int c = 0; c < cout; c++) {
          assertEquals(expected[c], got[r][c], 1e-9);
        }
      }
    }
  }
}
