package org.jsparse.nn.autograd;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.List;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One recorded op: its inputs and a backward function from the output's gradient to the inputs'
 * gradients. Each op saves only what its backward needs and counts those bytes in the ledger as
 * SAVED_FOR_BACKWARD until the graph is freed.
 */
public abstract class Node {
  private final Variable[] inputs;
  private final List<Allocation> saved = new ArrayList<>();
  private final List<INDArray> owned = new ArrayList<>();
  private final List<Variable> readBack = new ArrayList<>();
  private final IntArrayList readVersions = new IntArrayList();
  private boolean readsOutput = true;

  protected Node(Variable... inputs) {
    this.inputs = inputs;
  }

  /** The inputs, in the order {@link #backward} returns their gradients. */
  public Variable[] inputs() {
    return inputs;
  }

  /** True when input i needs a gradient. */
  protected boolean needsGrad(int i) {
    return inputs[i].requiresGrad();
  }

  boolean needsAnyGrad() {
    for (Variable v : inputs) {
      if (v.requiresGrad()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Counts an array this node made and keeps for its backward pass (a mask, normalized values),
   * and frees it when the node is released.
   * Activations that are already sparse tensors count as FEATURES until the graph frees them, so
   * they are not saved again here. A null ledger (a dense value, on no manager) counts nothing.
   */
  protected void save(MemoryLedger ledger, INDArray array) {
    owned.add(array);
    if (ledger == null) {
      return;
    }
    saved.add(ledger.acquire(MemoryCategory.SAVED_FOR_BACKWARD, array.length() * array.dataType().width(), "saved for backward"));
  }

  /**
   * Declares that backward reads {@code v}'s data as it is now. If an in-place op overwrites it
   * before backward runs, backward fails with a message instead of computing a wrong gradient.
   */
  protected void readsInBackward(Variable v) {
    readBack.add(v);
    readVersions.add(v.version());
  }

  /**
   * Declares that backward never reads this node's output value (a convolution, a union, a linear
   * layer or a norm read their inputs, not their result), so the graph frees the output's features
   * before running backward instead of after: one feature matrix less at every step of the sweep.
   */
  protected void outputNotReadInBackward() {
    readsOutput = false;
  }

  boolean readsOutput() {
    return readsOutput;
  }

  void checkSavedVersions() {
    for (int i = 0; i < readBack.size(); i++) {
      if (readBack.get(i).version() != readVersions.getInt(i)) {
        throw new IllegalStateException(
            "a value this op needs for its backward pass was overwritten by an in-place op after the op ran; "
                + "make that op out of place (an activation with inPlace false) or use the value before overwriting it");
      }
    }
  }

  /**
   * Gradients for each input as host arrays (null where {@link #needsGrad} is false). A node
   * implements this, or {@link #backwardBuffers} with {@link #backwardOnBuffers()}, or both (the
   * array form then serves dense outputs).
   */
  protected INDArray[] backward(INDArray gradOut) {
    throw new UnsupportedOperationException(getClass().getName() + " runs its backward on buffers only");
  }

  /**
   * True when this node's backward also works on buffers of its output's backend
   * ({@link #backwardBuffers}); the graph then hands it the gradient as a buffer and keeps the
   * result there, so between such nodes a gradient never visits the host (on a GPU). Only for
   * nodes whose output is a sparse tensor; {@link BufferNode} says it for its subclasses.
   */
  protected boolean backwardOnBuffers() {
    return false;
  }

  /**
   * The buffer form of {@link #backward(INDArray)}, for nodes that say {@link #backwardOnBuffers()}:
   * gradients for each input as buffers of {@code gradOut}'s backend, shaped {@code [rows, cols]} as
   * the inputs' values; {@code gradOut} itself (possibly written over) where an input's gradient is
   * exactly that, new uncounted buffers the graph takes over otherwise; null where {@link #needsGrad}
   * is false. A node writes into {@code gradOut} only when it hands it on.
   */
  protected Buffer[] backwardBuffers(Buffer gradOut) {
    throw new UnsupportedOperationException(getClass().getName() + " has no buffer backward");
  }

  /**
   * True when this node, whose output is a dense host value (a loss, global pooling), gives its
   * inputs' gradients as buffers of their backends ({@link #backwardToBuffers}): the graph keeps
   * them there, so on a GPU a loss or pooling gradient reaches the layers below without visiting
   * the host. {@link DenseOutputNode} says it for its subclasses.
   */
  protected boolean givesBufferGradients() {
    return false;
  }

  /**
   * The form of {@link #backward(INDArray)} for nodes that say {@link #givesBufferGradients()}: from
   * the output's gradient as a host array, gradients for each input as new uncounted buffers of the
   * input's backend shaped as its value (the graph takes them over); null where {@link #needsGrad}
   * is false.
   */
  protected Buffer[] backwardToBuffers(INDArray gradOut) {
    throw new UnsupportedOperationException(getClass().getName() + " gives no buffer gradients");
  }

  /** Counts {@code bytes} of host arrays (indices, arg-max tables) this node keeps for backward. */
  protected void save(MemoryLedger ledger, long bytes) {
    if (ledger != null) {
      saved.add(ledger.acquire(MemoryCategory.SAVED_FOR_BACKWARD, bytes, "saved for backward"));
    }
  }

  void release() {
    saved.forEach(Allocation::close);
    saved.clear();
    owned.forEach(org.jsparse.core.internal.NativeArrays::free);
    owned.clear();
    readBack.clear();
  }
}
