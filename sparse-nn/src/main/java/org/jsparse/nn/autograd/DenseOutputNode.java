package org.jsparse.nn.autograd;

import org.jsparse.core.backend.Buffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A node whose output is a dense host value (a loss, global pooling) over sparse inputs, and which
 * gives its inputs' gradients as buffers of their backends ({@link #backwardToBuffers}): on a GPU
 * the gradient below a loss or a pooled head starts on the device.
 */
public abstract class DenseOutputNode extends Node {
  protected DenseOutputNode(Variable... inputs) {
    super(inputs);
  }

  @Override
  protected final boolean givesBufferGradients() {
    return true;
  }

  @Override
  protected abstract Buffer[] backwardToBuffers(INDArray gradOut);
}
