package org.jsparse.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.core.testing.RandomSparse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The CPU path is bit-identical run to run and whatever the thread count; float agrees with double. */
class DeterminismTest {
  private float[][] run(int threads, double density) throws Exception {
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      return pool.submit(() -> {
        Random rnd = new Random(77);
        Coordinates c = RandomSparse.coordinates(rnd, 2, 3, 24, -10, 1, density);
        if (density == 1.0) {
          c = TiledPathsTest.rasterOrder(c); // the dense map's implicit GEMM reading the mirrored half in place
        }
        try (CoordinateManager cm = new CoordinateManager(3)) {
          SparseTensor x = SparseTensor.create(cm, c, TensorStride.uniform(3, 1), RandomSparse.uniform(rnd, DataType.FLOAT, c.size(), 16));
          INDArray w = RandomSparse.uniform(rnd, DataType.FLOAT, 27, 16, 16);
          OpPlan plan = SparseConvolution.plan(x, ConvolutionSpec.submanifold(KernelRegion.cube(3, 3)));
          SparseTensor y = SparseConvolution.forward(x, w, null, plan);
          INDArray gw = SparseConvolution.backwardWeight(plan, x.features(), y.features());
          INDArray gi = SparseConvolution.backwardInput(plan, y.features(), w);
          return new float[][] {y.features().data().asFloat(), gw.data().asFloat(), gi.data().asFloat()};
        }
      }).get();
    } finally {
      pool.shutdown();
    }
  }

  @ParameterizedTest(name = "density={0}")
  @ValueSource(doubles = {0.3, 1.0})
  void bitIdenticalAcrossRunsAndThreadCounts(double density) throws Exception {
    float[][] a = run(2, density);
    float[][] b = run(2, density);
    float[][] c = run(1, density);
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i], "run to run, output " + i);
      assertArrayEquals(a[i], c[i], "1 thread vs 2, output " + i);
    }
    assertEquals(true, a[0].length > 1000, "the test volume is not trivial");
  }

  @Test
  void floatPathAgreesWithDoublePath() {
    Random rnd = new Random(3);
    Coordinates c = RandomSparse.coordinates(rnd, 1, 3, 10, 0, 1, 0.3);
    try (CoordinateManager cm = new CoordinateManager(3)) {
      INDArray f = RandomSparse.uniform(rnd, DataType.DOUBLE, c.size(), 8);
      INDArray w = RandomSparse.uniform(rnd, DataType.DOUBLE, 8, 8, 8);
      SparseTensor xd = SparseTensor.create(cm, c, TensorStride.uniform(3, 1), f);
      SparseTensor xf = xd.withFeatures(f.castTo(DataType.FLOAT));
      ConvolutionSpec spec = ConvolutionSpec.strided(KernelRegion.cube(3, 2), 2, 2, 2);
      INDArray yd = SparseConvolution.forward(xd, w, null, spec).features();
      INDArray yf = SparseConvolution.forward(xf, w.castTo(DataType.FLOAT), null, spec).features();
      assertEquals(0, yd.sub(yf.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 1e-5);
    }
  }
}
