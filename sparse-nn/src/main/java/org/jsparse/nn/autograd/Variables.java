package org.jsparse.nn.autograd;

import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Makes op results: the library's functional ops and your own ones call it with the {@link Node}
 * that differentiates them (pass null when no input needs a gradient or under NoGrad).
 */
public final class Variables {
  private Variables() {}

  /** A sparse op result made by {@code node}. */
  public static Variable result(SparseTensor tensor, Node node) {
    TensorScope.register(tensor);
    return Variable.result(tensor, null, node);
  }

  /**
   * An op's result written over its input {@code x} (in place): the result shares x's tensor
   * memory, and x is marked as changed so that any node that needed its old value fails loudly.
   */
  public static Variable inPlaceResult(Variable x, Node node) {
    x.bumpVersion();
    if (x.tensor() == null) {
      return Variable.result(null, x.data(), node);
    }
    return Variable.result(x.tensor().alias(), null, node);
  }

  /** Attaches to an op result the recipe that remakes it (see {@link Variable.Recipe}). */
  public static Variable withRecipe(Variable v, Variable.Recipe recipe) {
    v.setRecipe(recipe);
    return v;
  }

  /** A dense op result made by {@code node}. */
  public static Variable result(INDArray data, Node node) {
    return Variable.result(null, data, node);
  }
}
