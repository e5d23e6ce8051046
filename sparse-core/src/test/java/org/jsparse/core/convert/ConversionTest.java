package org.jsparse.core.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.core.testing.RandomSparse;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConversionTest {
  private final Random rnd = new Random(5);

  /** A [B, C, X1..XD] volume that is zero except at about a fifth of its sites. */
  private INDArray sparseVolume(DataType type, long... shape) {
    INDArray v = RandomSparse.uniform(rnd, DataType.DOUBLE, shape);
    INDArray keep = RandomSparse.uniform(rnd, DataType.DOUBLE, shape).lt(-0.6).castTo(DataType.DOUBLE);
    return v.add(2).mul(keep).castTo(type);
  }

  @Test
  void denseToSparseToDenseIsExactForEveryDimension() {
    for (int d = 1; d <= 4; d++) {
      long[] shape = new long[d + 2];
      shape[0] = 2;
      shape[1] = 3;
      int[] spatial = new int[d];
      for (int a = 0; a < d; a++) {
        shape[a + 2] = 3 + a;
        spatial[a] = 3 + a;
      }
      for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
        INDArray dense = sparseVolume(type, shape);
        try (CoordinateManager cm = new CoordinateManager(d)) {
          SparseTensor x = DenseToSparse.threshold(cm, dense, 1e-9);
          assertEquals(type, x.dataType());
          INDArray back = SparseToDense.toDense(x, 2, new int[d], spatial);
          assertEquals(dense, back, "round trip D=" + d + " " + type);
        }
      }
    }
  }

  @Test
  void thresholdTopKAndMaskSelectTheRightSites() {
    INDArray dense = Nd4j.create(new double[] {0, 5, 1, 7, 3, 0}, new long[] {1, 1, 6}, 'c');
    try (CoordinateManager cm = new CoordinateManager(1)) {
      SparseTensor t = DenseToSparse.threshold(cm, dense, 3);
      assertEquals(Coordinates.of(new int[] {0, 1}, new int[] {0, 3}, new int[] {0, 4}), t.coordinates());
      SparseTensor k = DenseToSparse.topK(cm, dense, 2);
      assertEquals(Coordinates.of(new int[] {0, 1}, new int[] {0, 3}), k.coordinates());
      assertArrayEquals(new double[] {5, 7}, k.features().toDoubleVector(), 0);
      INDArray mask = Nd4j.create(new double[] {1, 0, 0, 0, 0, 1}, new long[] {1, 6}, 'c');
      SparseTensor m = DenseToSparse.mask(cm, dense, mask);
      assertEquals(Coordinates.of(new int[] {0, 0}, new int[] {0, 5}), m.coordinates());
      assertThrows(IllegalArgumentException.class, () -> DenseToSparse.mask(cm, dense, Nd4j.ones(1, 5)));
    }
  }

  @Test
  void floatArrayInputMatchesINDArrayInput() {
    float[] data = {0, 2, 0, 0, 3, 0, 0, 0};
    try (CoordinateManager cm = new CoordinateManager(2)) {
      SparseTensor x = DenseToSparse.threshold(cm, data, new long[] {1, 2, 2, 2}, 1);
      assertEquals(Coordinates.of(new int[] {0, 0, 0}, new int[] {0, 0, 1}), x.coordinates(),
          "sites (0,0) [0, 3] and (0,1) [2, 0] pass; (1,0) and (1,1) do not");
      assertArrayEquals(new float[] {0, 3, 2, 0}, x.features().data().asFloat());
    }
  }

  @Test
  void quantizationMergesPointsAndReducesFeatures() {
    double[][] points = {{0.1, 0.2}, {0.9, 0.4}, {-0.1, 0.0}, {1.2, 0.3}, {0.5, 0.5}};
    int[] batch = {0, 0, 0, 0, 1};
    INDArray f = Nd4j.create(new double[][] {{1, 10}, {3, -10}, {5, 0}, {7, 1}, {9, 2}});
    Quantizer.Quantized q = Quantizer.quantize(points, batch, new double[] {1, 1}, f, Reduction.MEAN);
    assertEquals(Coordinates.of(new int[] {0, 0, 0}, new int[] {0, -1, 0}, new int[] {0, 1, 0}, new int[] {1, 0, 0}),
        q.coordinates());
    assertArrayEquals(new int[] {0, 0, 1, 2, 3}, q.inverseIndex());
    assertArrayEquals(new int[] {0, 2, 3, 4}, q.uniqueIndex());
    assertArrayEquals(new double[] {2, 0}, q.features().getRow(0).toDoubleVector(), 1e-12);
    assertArrayEquals(new double[] {4, 0}, Quantizer.quantize(points, batch, new double[] {1, 1}, f, Reduction.SUM)
        .features().getRow(0).toDoubleVector(), 1e-12);
    assertArrayEquals(new double[] {3, 10}, Quantizer.quantize(points, batch, new double[] {1, 1}, f, Reduction.MAX)
        .features().getRow(0).toDoubleVector(), 1e-12);
    assertArrayEquals(new double[] {1, 10}, Quantizer.quantize(points, batch, new double[] {1, 1}, f, Reduction.FIRST)
        .features().getRow(0).toDoubleVector(), 1e-12);
    INDArray floatMean = Quantizer.quantize(points, batch, new double[] {1, 1}, f.castTo(DataType.FLOAT), Reduction.MEAN)
        .features();
    assertEquals(DataType.FLOAT, floatMean.dataType(), "the reduced features keep the input's type");
    assertArrayEquals(new double[] {2, 0}, floatMean.getRow(0).toDoubleVector(), 1e-6);
    assertArrayEquals(new double[] {7, 1}, floatMean.getRow(2).toDoubleVector(), 1e-6);
    assertThrows(IllegalArgumentException.class,
        () -> Quantizer.quantize(points, batch, new double[] {0, 1}, f, Reduction.SUM));
    assertThrows(IllegalArgumentException.class,
        () -> Quantizer.quantize(new double[][] {{Double.NaN, 0}}, new int[] {0}, new double[] {1, 1}, null, Reduction.SUM));
  }
}
