package org.jsparse.nn.functional;

import static org.jsparse.nn.testing.NnTesting.checkGradients;
import static org.jsparse.nn.testing.NnTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.jsparse.core.convert.DenseToSparse;
import org.jsparse.core.convert.SparseToDense;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.Variable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Sparse to dense and back as differentiable ops: adjoint of each other, gradients against finite differences. */
class DenseConversionTest {
  private final Random rnd = new Random(5);

  private static SparseTensor sites(CoordinateManager cm, INDArray features) {
    Coordinates c = Coordinates.of(new int[] {0, 1, 2}, new int[] {0, 3, 0}, new int[] {1, 2, 2}, new int[] {1, 0, 3},
        new int[] {1, 3, 3});
    return SparseTensor.create(cm, c, TensorStride.uniform(2, 1), features);
  }

  @Test
  void toDenseAndReadAtSitesAreAdjoint() {
    try (CoordinateManager cm = new CoordinateManager(2)) {
      SparseTensor x = sites(cm, uniform(rnd, 5, 3));
      INDArray d = uniform(rnd, 2, 3, 4, 4);
      double lhs = SparseToDense.toDense(x, 2, new int[] {0, 0}, new int[] {4, 4}).mul(d).sumNumber().doubleValue();
      double rhs = x.features().mul(SparseToDense.readAtSites(x, d, new int[] {0, 0})).sumNumber().doubleValue();
      assertEquals(lhs, rhs, 1e-12, "<toDense(x), d> = <x, readAtSites(d)>");
      assertThrows(IllegalArgumentException.class, () -> SparseToDense.readAtSites(x, uniform(rnd, 2, 2, 4, 4),
          new int[] {0, 0}), "channel count differs");
      assertThrows(IllegalArgumentException.class, () -> SparseToDense.readAtSites(x, uniform(rnd, 2, 3, 3, 3),
          new int[] {0, 0}), "a site outside the volume");
    }
  }

  @Test
  void bothDirectionsDifferentiate() {
    try (CoordinateManager cm = new CoordinateManager(2)) {
      Variable x = Variable.of(sites(cm, uniform(rnd, 5, 3)), true);
      checkGradients(() -> DenseConversion.toDense(x, 2, new int[] {-1, 0}, new int[] {5, 4}), List.of(x), "to dense");
      Variable dense = Variable.of(uniform(rnd, 2, 3, 4, 4), true);
      SparseTensor chosen = DenseToSparse.threshold(cm, dense.data(), 0.3);
      checkGradients(() -> DenseConversion.atSites(dense, chosen, new int[] {0, 0}), List.of(dense), "at sites");
      Variable back = DenseConversion.atSites(dense, chosen, new int[] {0, 0});
      for (int r = 0; r < chosen.size(); r++) {
        int[] c = chosen.coordinates().row(r);
        assertEquals(dense.data().getDouble(c[0], 1, c[1], c[2]), back.data().getDouble(r, 1), 0.0);
      }
    }
  }
}
