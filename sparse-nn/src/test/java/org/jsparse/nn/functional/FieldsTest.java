package org.jsparse.nn.functional;

import static org.jsparse.nn.testing.NnTesting.checkGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.jsparse.core.convert.PointField;
import org.jsparse.core.convert.PointWeights;
import org.jsparse.core.convert.Reduction;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.Variable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Points to voxels and back: slicing returns each point's voxel, interpolation is D-linear, both differentiate. */
class FieldsTest {
  @Test
  void slicingGivesEachPointItsVoxelsValue() {
    double[][] pts = {{0.2, 0.3}, {0.7, 0.1}, {1.5, 0.5}, {-0.4, 2.2}};
    int[] batch = {0, 0, 0, 1};
    PointField field = PointField.of(pts, batch, new double[] {1, 1});
    assertEquals(3, field.voxels(), "the first two points share voxel (0, 0)");
    INDArray f = Nd4j.create(new double[][] {{1}, {3}, {5}, {7}});
    try (CoordinateManager cm = new CoordinateManager(2)) {
      SparseTensor voxels = field.sparse(cm, f, Reduction.MEAN);
      INDArray back = field.slicing(voxels).apply(voxels);
      assertEquals(2, back.getDouble(0, 0), 1e-12, "mean of 1 and 3");
      assertEquals(2, back.getDouble(1, 0), 1e-12);
      assertEquals(5, back.getDouble(2, 0), 1e-12);
      assertEquals(7, back.getDouble(3, 0), 1e-12);
    }
  }

  @Test
  void interpolationIsBilinearBetweenSiteCentres() {
    // four voxels of a 2x2 block with values 0, 1, 2, 3 at centres (0.5, 0.5), (1.5, 0.5), (0.5, 1.5), (1.5, 1.5)
    double[][] pts = {{0.5, 0.5}, {1.5, 0.5}, {0.5, 1.5}, {1.5, 1.5}, {1.0, 1.0}, {0.75, 0.5}};
    PointField field = PointField.of(pts, new int[6], new double[] {1, 1});
    try (CoordinateManager cm = new CoordinateManager(2)) {
      SparseTensor voxels = field.sparse(cm, Nd4j.create(new double[][] {{0}, {1}, {2}, {3}, {99}, {99}}),
          Reduction.FIRST);
      INDArray at = field.interpolation(voxels).apply(voxels);
      assertEquals(0, at.getDouble(0, 0), 1e-12, "a centre reads its own site");
      assertEquals(3, at.getDouble(3, 0), 1e-12);
      assertEquals(1.5, at.getDouble(4, 0), 1e-12, "the middle of four centres: their mean");
      assertEquals(0.25, at.getDouble(5, 0), 1e-12, "a quarter of the way from value 0 to value 1");
    }
  }

  @Test
  void readingAtPointsDifferentiatesThroughANetwork() {
    Random rnd = new Random(2);
    double[][] pts = new double[20][];
    for (int i = 0; i < pts.length; i++) {
      pts[i] = new double[] {rnd.nextDouble() * 3, rnd.nextDouble() * 3, rnd.nextDouble() * 3};
    }
    PointField field = PointField.of(pts, new int[20], new double[] {0.8, 0.8, 0.8});
    try (CoordinateManager cm = new CoordinateManager(3)) {
      INDArray f = Nd4j.rand(DataType.DOUBLE, 20, 2);
      Variable x = Variable.of(field.sparse(cm, f, Reduction.MEAN), true);
      Variable w = Variable.of(Nd4j.rand(DataType.DOUBLE, 27, 2, 2).subi(0.5), true);
      ConvolutionSpec spec = ConvolutionSpec.submanifold(KernelRegion.cube(3, 3));
      Variable y = SparseFunctions.conv(x, w, null, spec, null);
      PointWeights slice = field.slicing(y.tensor());
      PointWeights linear = field.interpolation(y.tensor());
      checkGradients(() -> Fields.read(SparseFunctions.conv(x, w, null, spec, null), slice), List.of(x, w), "slice");
      checkGradients(() -> Fields.read(SparseFunctions.conv(x, w, null, spec, null), linear), List.of(x, w),
          "interpolate");
    }
  }
}
