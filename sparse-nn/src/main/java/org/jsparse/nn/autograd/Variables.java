package org.jsparse.nn.autograd;

import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Factory for op results, for the functional ops outside this package. */
public final class Variables {
  private Variables() {}

  /** A sparse op result made by {@code node}. */
  public static Variable result(SparseTensor tensor, Node node) {
    TensorScope.register(tensor);
    return Variable.result(tensor, tensor.features(), node);
  }

  /** A dense op result made by {@code node}. */
  public static Variable result(INDArray data, Node node) {
    return Variable.result(null, data, node);
  }
}
