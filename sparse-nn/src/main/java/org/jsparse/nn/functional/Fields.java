package org.jsparse.nn.functional;

import org.jsparse.core.convert.PointWeights;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A sparse value read back at continuous points ({@link org.jsparse.core.convert.PointField}'s
 * slicing or interpolation weights), differentiable in the value's features: the dense result
 * {@code [points, C]} feeds a per-point loss or head.
 */
public final class Fields {
  private Fields() {}

  /** {@code y} read at the points through {@code weights} (made for y's map). */
  public static Variable read(Variable y, PointWeights weights) {
    SparseTensor t = SparseFunctions.requireSparse(y, "reading at points");
    INDArray values = weights.apply(t);
    Node node = new Node(y) {
      @Override
      protected INDArray[] backward(INDArray g) {
        return new INDArray[] {weights.applyTransposed(g)};
      }
    };
    return Variables.result(values, node);
  }
}
