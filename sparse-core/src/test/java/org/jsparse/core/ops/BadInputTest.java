package org.jsparse.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bad input gets an IllegalArgumentException whose message says what was wrong, and the manager
 * keeps working afterwards (a valid convolution still gives the same answer).
 */
class BadInputTest {
  private static final TensorStride T1 = TensorStride.uniform(3, 1);
  private static final ConvolutionSpec SUB3 = ConvolutionSpec.submanifold(KernelRegion.cube(3, 3));
  private CoordinateManager cm;
  private SparseTensor x;
  private double reference;

  @BeforeEach
  void setUp() {
    cm = new CoordinateManager(3);
    x = SparseTensor.create(cm, Coordinates.of(new int[] {0, 0, 0, 0}, new int[] {0, 1, 0, 0}, new int[] {1, 0, 0, 1}),
        T1, Nd4j.linspace(DataType.FLOAT, 1, 6, 1).reshape(3, 2));
    reference = validConvSum();
  }

  @AfterEach
  void managerStillWorks() {
    assertEquals(reference, validConvSum(), 0, "the manager is intact after the failure");
    cm.close();
  }

  private double validConvSum() {
    return SparseConvolution.forward(x, Nd4j.ones(DataType.FLOAT, 27, 2, 4), null, SUB3).features().sumNumber().doubleValue();
  }

  private static void fails(String expectedInMessage, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(expectedInMessage), "message '" + e.getMessage() + "' should mention '"
        + expectedInMessage + "'");
  }

  @Test
  void wrongChannelCount() {
    fails("the input has 2 channels", () -> SparseConvolution.forward(x, Nd4j.ones(DataType.FLOAT, 27, 3, 4), null, SUB3));
    fails("K=27", () -> SparseConvolution.forward(x, Nd4j.ones(DataType.FLOAT, 8, 2, 4), null, SUB3));
    fails("bias", () -> SparseConvolution.forward(x, Nd4j.ones(DataType.FLOAT, 27, 2, 4), Nd4j.ones(DataType.FLOAT, 3), SUB3));
    fails("data type", () -> SparseConvolution.forward(x, Nd4j.ones(DataType.DOUBLE, 27, 2, 4), null, SUB3));
    SparseTensor three = x.withFeatures(Nd4j.ones(DataType.FLOAT, 3, 3));
    fails("channel counts differ", () -> ChannelOps.add(x, three));
  }

  @Test
  void duplicateCoordinates() {
    fails("duplicate coordinate [0, 1, 1, 1] at rows 0 and 2",
        () -> cm.insert(Coordinates.of(new int[] {0, 1, 1, 1}, new int[] {0, 2, 1, 1}, new int[] {0, 1, 1, 1}), T1));
  }

  @Test
  void coordinatesOutOfRangeOrOffTheStride() {
    fails("batch index -1 at row 0 is negative", () -> cm.insert(Coordinates.of(new int[] {-1, 0, 0, 0}), T1));
    fails("not a multiple of tensor stride", () -> cm.insert(Coordinates.of(new int[] {0, 3, 0, 0}), TensorStride.uniform(3, 2)));
    fails("D=3", () -> cm.insert(Coordinates.of(new int[] {0, 3, 0}), TensorStride.uniform(2, 1)));
  }

  @Test
  void tensorsFromDifferentManagers() {
    try (CoordinateManager other = new CoordinateManager(3)) {
      SparseTensor y = SparseTensor.create(other, x.coordinates(), T1, x.features());
      fails("different CoordinateManagers", () -> ChannelOps.add(x, y));
      fails("different CoordinateManagers", () -> SparseUnion.forward(List.of(x, y)));
      fails("does not belong to this CoordinateManager", () -> cm.coordinates(y.key()));
    }
  }

  @Test
  void nanFeatures() {
    fails("NaN or infinity at row 1", () -> SparseTensor.of(cm, x.key(),
        Nd4j.create(new float[] {1, 2, Float.NaN, 0, 0, 0}, new long[] {3, 2}, 'c')));
    fails("NaN or infinity", () -> SparseTensor.of(cm, x.key(),
        Nd4j.create(new float[] {1, 2, 3, 0, 0, Float.POSITIVE_INFINITY}, new long[] {3, 2}, 'c')));
  }

  @Test
  void featureShapeAndType() {
    fails("has 3", () -> SparseTensor.of(cm, x.key(), Nd4j.ones(DataType.FLOAT, 4, 2)));
    fails("FLOAT or DOUBLE", () -> SparseTensor.of(cm, x.key(), Nd4j.ones(DataType.INT, 3, 2)));
    fails("2-D", () -> SparseTensor.of(cm, x.key(), Nd4j.ones(DataType.FLOAT, 3, 2, 1)));
  }

  @Test
  void emptyTensors() {
    SparseTensor empty = SparsePruning.forward(x, new boolean[3]).output();
    assertEquals(0, empty.size());
    Consumer<Runnable> emptyFails = r -> fails("empty tensor", r);
    emptyFails.accept(() -> SparseConvolution.forward(empty, Nd4j.ones(DataType.FLOAT, 27, 2, 4), null, SUB3));
    emptyFails.accept(() -> SparsePooling.forward(empty, KernelRegion.cube(3, 2), new int[] {2, 2, 2}, PoolingMode.MAX));
    emptyFails.accept(() -> GlobalPooling.forward(empty, PoolingMode.SUM));
  }

  @Test
  void transposedWithoutAFinerMap() {
    SparseTensor coarse = SparseTensor.create(cm, Coordinates.of(new int[] {0, 2, 2, 2}), TensorStride.uniform(3, 2),
        Nd4j.ones(DataType.FLOAT, 1, 2));
    ConvolutionSpec up = ConvolutionSpec.transposed(KernelRegion.cube(3, 2), 2, 2, 2);
    fails("no map at tensor stride [1, 1, 1]", () -> SparseConvolution.forward(coarse, Nd4j.ones(DataType.FLOAT, 8, 2, 2), null, up));
    fails("finer stride", () -> SparseConvolution.forward(x, Nd4j.ones(DataType.FLOAT, 8, 2, 2), null, up));
  }
}
