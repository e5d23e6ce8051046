package org.jsparse.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.core.testing.RandomSparse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A channel-wise convolution equals the full convolution (itself checked against dense
 * convolutions) with the block-diagonal weight {@code W[k, c, c] = w[k, c]}, on every geometry,
 * forward and both gradients; the weight gradient is that convolution's diagonal.
 */
class ChannelwiseConvolutionTest {
  private static INDArray blockDiagonal(INDArray w) {
    long k = w.size(0);
    long c = w.size(1);
    INDArray full = Nd4j.zeros(w.dataType(), k, c, c);
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < c; j++) {
        full.putScalar(new long[] {i, j, j}, w.getDouble(i, j));
      }
    }
    return full;
  }

  private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
    assertEquals(List.of(expected.shape().length, expected.length()), List.of(actual.shape().length, actual.length()), what);
    double err = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    assertEquals(0, err, tol, what + ": max difference");
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void everyGeometryMatchesTheBlockDiagonalConvolution(int d) {
    Random rnd = new Random(d);
    for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      double tol = type == DataType.DOUBLE ? 1e-12 : 1e-4;
      try (CoordinateManager cm = new CoordinateManager(d)) {
        int c = 3;
        var coords = RandomSparse.coordinates(rnd, 2, d, 6, -2, 1, 0.3);
        SparseTensor x = SparseTensor.create(cm, coords, TensorStride.uniform(d, 1),
            RandomSparse.uniform(rnd, type, coords.size(), c));
        ConvolutionSpec sub = ConvolutionSpec.submanifold(KernelRegion.cube(d, 3));
        ConvolutionSpec down = ConvolutionSpec.strided(KernelRegion.cube(d, 2), uniform(d, 2));
        ConvolutionSpec gen = ConvolutionSpec.generative(KernelRegion.cube(d, 2), uniform(d, 2));
        SparseTensor coarse = SparseConvolution.forward(x, RandomSparse.uniform(rnd, type, (long) Math.pow(2, d), c, c),
            null, down);
        ConvolutionSpec up = ConvolutionSpec.transposed(KernelRegion.cube(d, 2), uniform(d, 2));
        for (Object[] caseOf : new Object[][] {{"submanifold", x, sub}, {"strided", x, down}, {"transposed", coarse, up},
            {"generative", coarse, gen}}) {
          String what = caseOf[0] + " D=" + d + " " + type;
          SparseTensor in = (SparseTensor) caseOf[1];
          OpPlan plan = SparseConvolution.plan(in, (ConvolutionSpec) caseOf[2], null);
          int k = plan.kernelMap().volume();
          INDArray w = RandomSparse.uniform(rnd, type, k, c);
          INDArray b = RandomSparse.uniform(rnd, type, c);
          INDArray full = blockDiagonal(w);
          SparseTensor expected = SparseConvolution.forward(in, full, b, plan);
          SparseTensor actual = ChannelwiseConvolution.forward(in, w, b, plan);
          assertEquals(expected.key(), actual.key(), what);
          assertClose(expected.features(), actual.features(), tol, what + " forward");
          INDArray g = RandomSparse.uniform(rnd, type, plan.kernelMap().outRows(), c);
          assertClose(SparseConvolution.backwardInput(plan, g, full), ChannelwiseConvolution.backwardInput(plan, g, w),
              tol, what + " input gradient");
          INDArray fullWeightGrad = SparseConvolution.backwardWeight(plan, in.features(), g);
          INDArray diagonal = Nd4j.zeros(type, k, c);
          for (int i = 0; i < k; i++) {
            for (int j = 0; j < c; j++) {
              diagonal.putScalar(new long[] {i, j}, fullWeightGrad.getDouble(i, j, j));
            }
          }
          assertClose(diagonal, ChannelwiseConvolution.backwardWeight(plan, in.features(), g), tol,
              what + " weight gradient");
        }
        OpPlan plan = SparseConvolution.plan(x, sub, null);
        assertThrows(IllegalArgumentException.class,
            () -> ChannelwiseConvolution.forward(x, RandomSparse.uniform(rnd, type, plan.kernelMap().volume(), c + 1), null, plan),
            "a weight for another channel count");
      }
    }
  }

  private static int[] uniform(int d, int v) {
    int[] s = new int[d];
    java.util.Arrays.fill(s, v);
    return s;
  }
}
