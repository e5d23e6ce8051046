package org.jsparse.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.core.testing.DenseReference;
import org.jsparse.core.testing.RandomSparse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Both CPU convolution paths (implicit GEMM for dense maps, per-offset gather-GEMM-scatter for
 * sparse ones) on tensors large enough to span many tiles, in float and double: forward against
 * the dense reference, backward-input as the adjoint of forward, backward-weight against a plain
 * loop over the pairs. Sites shuffled or in raster order: a dense map of raster-ordered sites is
 * stored and read in one pass with its mirrored half in place, a dense shuffled one is streamed and
 * merged per tile, a sparse one walks its other half in expanded parts.
 */
class TiledPathsTest {
  @ParameterizedTest(name = "density={0} {1} raster={2}")
  @CsvSource({"1.0, DOUBLE, false", "1.0, DOUBLE, true", "0.15, DOUBLE, false", "1.0, FLOAT, false",
      "1.0, FLOAT, true", "0.15, FLOAT, true"})
  void bothPathsAgreeWithReferences(double density, DataType type, boolean raster) {
    Random rnd = new Random(11);
    Coordinates shuffled = RandomSparse.coordinates(rnd, 2, 3, density == 1.0 ? 20 : 36, -5, 1, density);
    Coordinates c = raster ? rasterOrder(shuffled) : shuffled;
    int cin = 5;
    int cout = 3;
    double tol = type == DataType.DOUBLE ? 1e-9 : 2e-4;
    try (CoordinateManager cm = new CoordinateManager(3)) {
      INDArray f = RandomSparse.uniform(rnd, type, c.size(), cin);
      SparseTensor x = SparseTensor.create(cm, c, TensorStride.uniform(3, 1), f);
      KernelRegion region = KernelRegion.cube(3, 3);
      INDArray w = RandomSparse.uniform(rnd, type, 27, cin, cout);
      OpPlan plan = SparseConvolution.plan(x, ConvolutionSpec.submanifold(region));
      KernelMap map = plan.kernelMap();
      assertTrue(map.outRows() > 2 * 4096, "spans several of the CPU convolution's 4096-row tiles");
      boolean dense = density == 1.0;
      assertEquals(dense, map.pairCount() * 5L >= 3L * map.outRows() * 27, "the case selects the intended path");
      assertEquals(raster, map.mirrorsReadableInPlace(),
          "sites in raster order let the implicit GEMM read the mirrored half in place");
      assertEquals(dense && !raster, map.isStreamed(),
          "a dense map of shuffled sites is streamed (merged per tile); sparse ones stay stored, walked in parts");
      SparseTensor y = SparseConvolution.forward(x, w, null, plan);

      double[][] ref = DenseReference.denseConv(c, DenseReference.matrix(f), new int[] {1, 1, 1}, new int[] {1, 1, 1},
          new int[] {1, 1, 1}, ConvolutionGeometryTest.steps(3, 3), DenseReference.weight(w), y.coordinates());
      double[][] got = DenseReference.matrix(y.features());
      for (int r = 0; r < ref.length; r++) {
        for (int k = 0; k < cout; k++) {
          assertEquals(ref[r][k], got[r][k], tol, "forward row " + r);
        }
      }

      INDArray g = RandomSparse.uniform(rnd, type, y.size(), cout);
      INDArray gin = SparseConvolution.backwardInput(plan, g, w);
      double lhs = y.features().castTo(DataType.DOUBLE).mul(g.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
      double rhs = f.castTo(DataType.DOUBLE).mul(gin.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
      assertEquals(lhs, rhs, tol * 100 * Math.max(1, Math.abs(lhs)), "backward input is the adjoint");

      INDArray gw = SparseConvolution.backwardWeight(plan, f, g);
      double[][] fx = DenseReference.matrix(f);
      double[][] gg = DenseReference.matrix(g);
      double[][][] expected = new double[27][cin][cout];
      KernelMap full = map.expanded(null);
      for (int k = 0; k < 27; k++) {
        for (int p = full.start(k); p < full.end(k); p++) {
          for (int i = 0; i < cin; i++) {
            for (int o = 0; o < cout; o++) {
              expected[k][i][o] += fx[full.inRow(p)][i] * gg[full.outRow(p)][o];
            }
          }
        }
      }
      double[][][] actual = DenseReference.weight(gw);
      for (int k = 0; k < 27; k++) {
        for (int i = 0; i < cin; i++) {
          for (int o = 0; o < cout; o++) {
            assertEquals(expected[k][i][o], actual[k][i][o], tol * 100, "weight gradient " + k);
          }
        }
      }
      assertFalse(Double.isNaN(lhs));
    }
    assertEquals(1, Nd4j.factory().blas().getMaxThreads(),
        "the tiles run in parallel with one BLAS thread each (jsparse.blasThreads defaults to 1)");
  }

  @org.junit.jupiter.api.Test
  void userMapRepeatingAnOutputRowWithinAnOffsetSumsBothPairs() {
    int n = 600;
    int cin = 3;
    int cout = 2;
    java.util.List<int[]> pairs = new java.util.ArrayList<>();
    for (int o = 0; o < n; o++) {
      pairs.add(new int[] {0, o, o});
      if (o % 3 == 0) {
        pairs.add(new int[] {0, (o + 1) % n, o}); // a second pair for output o in offset 0
      }
    }
    for (int o = 0; o < n; o++) {
      pairs.add(new int[] {1, (o + 7) % n, o});
    }
    int[] in = pairs.stream().mapToInt(p -> p[1]).toArray();
    int[] out = pairs.stream().mapToInt(p -> p[2]).toArray();
    int firstOfOffset1 = (int) pairs.stream().filter(p -> p[0] == 0).count();
    Random rnd = new Random(5);
    INDArray x = RandomSparse.uniform(rnd, DataType.DOUBLE, n, cin);
    INDArray w = RandomSparse.uniform(rnd, DataType.DOUBLE, 2 * cin, cout);
    INDArray y = Nd4j.zeros(DataType.DOUBLE, n, cout);
    try (CoordinateManager cm = new CoordinateManager(3);
        KernelMap map = new KernelMap(new int[] {0, firstOfOffset1, pairs.size()}, in, out, n, n)) {
      assertTrue(map.pairCount() * 5L >= 3L * map.outRows() * 2, "dense enough for the implicit GEMM");
      cm.backend().convolutionForward(cm.backend().borrow(x, n), cm.backend().borrow(w, 2 * cin), map,
          cm.backend().borrow(y, n), cm.memory());
    }
    double[][] expected = new double[n][cout];
    for (int[] p : pairs) {
      for (int c = 0; c < cin; c++) {
        for (int o = 0; o < cout; o++) {
          expected[p[2]][o] += x.getDouble(p[1], c) * w.getDouble(p[0] * cin + c, o);
        }
      }
    }
    for (int r = 0; r < n; r++) {
      for (int o = 0; o < cout; o++) {
        assertEquals(expected[r][o], y.getDouble(r, o), 1e-12, "row " + r);
      }
    }
  }

  /** The same sites sorted by batch, then axis by axis: the order a raster scan of a volume gives. */
  static Coordinates rasterOrder(Coordinates c) {
    int[][] rows = new int[c.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = c.row(i);
    }
    java.util.Arrays.sort(rows, java.util.Arrays::compare);
    return Coordinates.of(rows);
  }
}
