package org.jsparse.nn.layers;

import org.jsparse.nn.autograd.Variable;

/** The input checks every sparse layer makes, with messages that name the layer. */
final class LayerChecks {
  private LayerChecks() {}

  static void requireInput(Variable x, int channels, int dimension, String layer) {
    if (x.tensor() == null) {
      throw new IllegalArgumentException(layer + " needs a sparse input (a Variable made from a SparseTensor)");
    }
    if (dimension > 0 && x.tensor().dimension() != dimension) {
      throw new IllegalArgumentException(
          layer + " was built for D=" + dimension + " but the input has D=" + x.tensor().dimension());
    }
    if (channels > 0 && x.tensor().channels() != channels) {
      throw new IllegalArgumentException(
          layer + " expects " + channels + " input channels but the input has " + x.tensor().channels()
              + "; check the previous layer's output channels");
    }
  }
}
