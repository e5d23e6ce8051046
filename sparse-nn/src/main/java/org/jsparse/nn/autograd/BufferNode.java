package org.jsparse.nn.autograd;

import org.jsparse.core.backend.Buffer;

/**
 * A node whose backward runs on buffers of its output's backend ({@link #backwardBuffers}), so on
 * a GPU its gradients never visit the host. A node that can also have a dense output adds the
 * array form, {@link #backward(org.nd4j.linalg.api.ndarray.INDArray)}, for that case.
 */
public abstract class BufferNode extends Node {
  protected BufferNode(Variable... inputs) {
    super(inputs);
  }

  @Override
  protected final boolean backwardOnBuffers() {
    return true;
  }

  @Override
  protected abstract Buffer[] backwardBuffers(Buffer gradOut);
}
