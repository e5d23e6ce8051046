package org.jsparse.nn.functional;

import org.jsparse.core.convert.SparseToDense;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Differentiable conversions between sparse values and dense volumes {@code [B, C, S1..SD]}
 * (MinkowskiEngine's {@code MinkowskiToDenseTensor} and {@code MinkowskiToSparseTensor}): each is
 * the other's adjoint, so each one's gradient is the other applied to the incoming gradient.
 */
public final class DenseConversion {
  private DenseConversion() {}

  /**
   * The sparse value as a dense volume with {@code batches} items (negative: largest batch index
   * + 1) whose index 0 sits at {@code origin}; absent sites are zero. Differentiable in x.
   */
  public static Variable toDense(Variable x, int batches, int[] origin, int[] spatialShape) {
    SparseTensor xt = SparseFunctions.requireSparse(x, "to dense");
    INDArray dense = SparseToDense.toDense(xt, batches, origin, spatialShape);
    int[] at = origin.clone();
    Node node = new Node(x) {
      @Override
      protected INDArray[] backward(INDArray g) {
        return new INDArray[] {SparseToDense.readAtSites(xt, g, at)};
      }
    };
    return Variables.result(dense, node);
  }

  /**
   * A dense volume read at the sites of {@code sites} (chosen by any rule: a threshold, a top-k or a
   * mask of {@link org.jsparse.core.convert.DenseToSparse}, or another tensor's sites) as a sparse
   * value on those sites; differentiable in the dense value (its gradient is zero off the sites).
   */
  public static Variable atSites(Variable dense, SparseTensor sites, int[] origin) {
    if (dense.tensor() != null) {
      throw new IllegalArgumentException("atSites reads a dense volume [B, C, S1..SD]; this value is sparse");
    }
    INDArray values = SparseToDense.readAtSites(sites, dense.data(), origin);
    SparseTensor out = sites.withFeatures(values);
    long batches = dense.data().size(0);
    int[] spatial = new int[sites.dimension()];
    for (int a = 0; a < spatial.length; a++) {
      spatial[a] = (int) dense.data().size(a + 2);
    }
    int[] at = origin.clone();
    Node node = new Node(dense) {
      @Override
      protected INDArray[] backward(INDArray g) {
        try (SparseTensor grad = sites.withFeatures(g.dup())) {
          return new INDArray[] {SparseToDense.toDense(grad, (int) batches, at, spatial)};
        }
      }
    };
    return Variables.result(out, node);
  }
}
