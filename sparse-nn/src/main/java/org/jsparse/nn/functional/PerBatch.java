package org.jsparse.nn.functional;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.ops.Batches;
import org.jsparse.core.ops.GlobalPooling;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.BufferNode;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Ops between a sparse value and its batch items: a per-item vector added to or multiplied with
 * every site of the item (MinkowskiEngine's {@code MinkowskiBroadcastAddition} and
 * {@code MinkowskiBroadcastMultiplication}, e.g. after a global pooling), and the decomposition
 * of a batch into one dense value per item, all differentiable.
 */
public final class PerBatch {
  private PerBatch() {}

  private static INDArray perBatchOf(SparseTensor x, Variable perBatch, String op) {
    INDArray g = perBatch.data();
    int batches = GlobalPooling.batchCount(x);
    if (perBatch.tensor() != null || g.rank() != 2 || g.size(0) != batches || g.size(1) != x.channels()
        || g.dataType() != x.dataType()) {
      throw new IllegalArgumentException(op + " needs a dense [B = " + batches + ", C = " + x.channels() + "] "
          + x.dataType() + " value (one row per batch item, e.g. a global pooling), got "
          + (perBatch.tensor() != null ? "a sparse value" : Arrays.toString(g.shape()) + " " + g.dataType()));
    }
    return g;
  }

  /** {@code y[r] = x[r] + perBatch[batch(r)]}: x sparse, perBatch dense {@code [B, C]}. */
  public static Variable broadcastAdd(Variable x, Variable perBatch) {
    SparseTensor xt = SparseFunctions.requireSparse(x, "broadcast addition");
    INDArray g = perBatchOf(xt, perBatch, "broadcast addition");
    Backend be = xt.manager().backend();
    Buffer out = Elementwise.newLike(be, x, "broadcast addition");
    try (SparseTensor spread = GlobalPooling.broadcast(xt, g)) {
      be.add(xt.buffer(), spread.buffer(), 1.0, out);
    }
    Node node = new BufferNode(x, perBatch) {
      @Override
      protected Buffer[] backwardBuffers(Buffer grad) {
        return new Buffer[] {needsGrad(0) ? grad : null, needsGrad(1) ? Batches.sumPerItem(xt, grad) : null};
      }
    };
    return Elementwise.result(x, out, node);
  }

  /** {@code y[r] = x[r] * perBatch[batch(r)]} channel by channel: x sparse, perBatch dense {@code [B, C]}. */
  public static Variable broadcastMultiply(Variable x, Variable perBatch) {
    SparseTensor xt = SparseFunctions.requireSparse(x, "broadcast multiplication");
    INDArray g = perBatchOf(xt, perBatch, "broadcast multiplication");
    Backend be = xt.manager().backend();
    Buffer out = Elementwise.newLike(be, x, "broadcast multiplication");
    try (SparseTensor spread = GlobalPooling.broadcast(xt, g)) {
      be.multiply(xt.buffer(), spread.buffer(), out);
    }
    Node node = new BufferNode(x, perBatch) {
      {
        readsInBackward(x);
        readsInBackward(perBatch);
      }

      @Override
      protected Buffer[] backwardBuffers(Buffer grad) {
        Buffer[] grads = new Buffer[2];
        if (needsGrad(0)) {
          grads[0] = be.zeros(null, null, "gradient", xt.dataType(), xt.size(), xt.channels());
          try (SparseTensor spread = GlobalPooling.broadcast(xt, perBatch.data())) {
            be.multiply(grad, spread.buffer(), grads[0]);
          }
        }
        if (needsGrad(1)) {
          try (Buffer products = be.zeros(xt.manager().memory(), MemoryCategory.WORKSPACE, "broadcast multiplication",
              xt.dataType(), xt.size(), xt.channels())) {
            be.multiply(grad, xt.buffer(), products);
            grads[1] = Batches.sumPerItem(xt, products);
          }
        }
        return grads;
      }
    };
    return Elementwise.result(x, out, node);
  }

  /**
   * One dense value {@code [N_b, C]} per batch item b = 0 .. B-1 (its rows in row order, as
   * {@link Batches#rowsPerItem} gives them); gradients flow back to x's rows.
   */
  public static List<Variable> decompose(Variable x) {
    SparseTensor xt = SparseFunctions.requireSparse(x, "decomposition");
    List<int[]> rows = Batches.rowsPerItem(xt);
    List<INDArray> features = Batches.featuresPerItem(xt);
    List<Variable> items = new ArrayList<>();
    for (int b = 0; b < rows.size(); b++) {
      int[] itemRows = rows.get(b);
      Node node = new Node(x) {
        @Override
        protected INDArray[] backward(INDArray grad) {
          Backend be = xt.manager().backend();
          Buffer full = be.zeros(null, null, "gradient", xt.dataType(), xt.size(), xt.channels());
          if (itemRows.length > 0) {
            try (Buffer g = be.borrow(grad, itemRows.length)) {
              be.scatterAddRows(g, itemRows, full, 1.0);
            }
          }
          return new INDArray[] {be.toINDArray(full, xt.size(), xt.channels())};
        }
      };
      items.add(Variables.result(features.get(b), node));
    }
    return items;
  }
}
