package org.jsparse.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.core.ops.SparseConvolution;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Tensors made from host arrays, with no ND4J array on the way in or out. */
class HostValuesTest {
  private static final Coordinates C = Coordinates.of(new int[] {0, 0, 0}, new int[] {0, 1, 0}, new int[] {0, 1, 1});

  @Test
  void aTensorFromFloatsEqualsOneFromAnNdArrayAndDownloadsBack() {
    float[] values = {1, 2, 3, 4, 5, 6};
    INDArray w = Nd4j.rand(DataType.FLOAT, 9, 2, 3);
    try (CoordinateManager a = new CoordinateManager(2); CoordinateManager b = new CoordinateManager(2)) {
      SparseTensor fromFloats = SparseTensor.create(a, C, TensorStride.uniform(2, 1), values, 2);
      SparseTensor fromArray = SparseTensor.create(b, C, TensorStride.uniform(2, 1),
          Nd4j.create(values, new long[] {3, 2}, 'c'));
      assertEquals(fromArray.features(), fromFloats.features());
      assertArrayEquals(values, (float[]) a.backend().download(fromFloats.buffer()));
      ConvolutionSpec k3 = ConvolutionSpec.submanifold(KernelRegion.cube(2, 3));
      assertEquals(SparseConvolution.forward(fromArray, w, null, k3).features(),
          SparseConvolution.forward(fromFloats, w, null, k3).features());
      long convolved = a.memory().current(MemoryCategory.FEATURES) - 4L * 3 * 2;
      fromFloats.close();
      assertEquals(convolved, a.memory().current(MemoryCategory.FEATURES), "the tensor owned its copy");
    }
  }

  @Test
  void badValuesAreRefusedAndLeaveNothingBehind() {
    try (CoordinateManager cm = new CoordinateManager(2)) {
      IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
          () -> SparseTensor.create(cm, C, TensorStride.uniform(2, 1), new double[] {1, Double.NaN, 3}, 1));
      assertTrue(nan.getMessage().contains("row 1"), nan.getMessage());
      IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
          () -> SparseTensor.create(cm, C, TensorStride.uniform(2, 1), new float[] {1, 2}, 1));
      assertTrue(size.getMessage().contains("3 x 1"), size.getMessage());
      Coordinates duplicate = Coordinates.of(new int[] {0, 0, 0}, new int[] {0, 0, 0});
      assertThrows(IllegalArgumentException.class,
          () -> SparseTensor.create(cm, duplicate, TensorStride.uniform(2, 1), new float[] {1, 2}, 1));
      assertEquals(0, cm.memory().currentTotal(), "failed creates leave no bytes and no map");
      assertEquals(0, cm.mapKeys().size());
    }
  }
}
