package org.jsparse.nn.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.backend.Buffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reverse-mode sweep: orders the graph below a root topologically (iterative DFS), walks it from
 * the root, accumulates gradients with {@code +=} (a value feeding a skip connection and the next
 * layer gets both), hands leaf gradients to their variables, and frees every node it passed.
 * Freeing a node also gives back the ledger bytes of the activation it made (its value is dead
 * once its gradient has been propagated; the array stays readable for a caller that kept it),
 * and pending gradients of sparse values count as GRADIENTS while they wait.
 */
final class Graph {
  /** The backend of dense values' gradients: stateless, so one serves every sweep. */
  private static final Backend HOST = Backends.cpu();

  private Graph() {}

  static void backward(Variable root, INDArray seed) {
    if (!root.requiresGrad()) {
      throw new IllegalStateException(
          "this value does not require a gradient: no input of the ops that made it did, or it was made under NoGrad");
    }
    if (root.graphFreed()) {
      throw new IllegalStateException(
          "the graph below this value was freed by an earlier backward(); run the forward pass again");
    }
    if (!seed.equalShapes(root.data())) {
      throw new IllegalArgumentException("seed gradient shape " + java.util.Arrays.toString(seed.shape())
          + " differs from the value's " + java.util.Arrays.toString(root.data().shape()));
    }
    List<Variable> order = topologicalOrder(root);
    Set<org.jsparse.core.kmap.CoordinateManager> managers = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Variable v : order) {
      if (v.tensor() != null && managers.add(v.tensor().manager()) && !v.tensor().manager().isClosed()) {
        v.tensor().manager().trimHashes();
      }
    }
    Map<Variable, Gradient> pending = new IdentityHashMap<>();
    Map<Variable, Allocation> pendingBytes = new IdentityHashMap<>();
    pending.put(root, Gradient.ofArray(backendOf(root), seed.dup()));
    for (int i = order.size() - 1; i >= 0; i--) {
      Variable v = order.get(i);
      Gradient g = pending.remove(v);
      Allocation gBytes = pendingBytes.remove(v);
      Node node = v.creator();
      if (node == null) {
        if (gBytes != null) {
          gBytes.close();
        }
        if (g != null && v.requiresGrad()) {
          v.accumulate(g);
        } else if (g != null) {
          g.free();
        }
        continue;
      }
      if (g != null) {
        node.checkSavedVersions();
        if (!node.readsOutput() && v.tensor() != null) {
          v.tensor().close();
        }
        Gradient[] grads = run(node, v, g);
        Variable[] inputs = node.inputs();
        Set<Gradient> handedOn = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int j = 0; j < inputs.length; j++) {
          Gradient gj = grads[j];
          if (gj == null) {
            continue;
          }
          if (!inputs[j].requiresGrad()) {
            if (gj != g && !handedOn.contains(gj)) {
              gj.free();
            }
            continue;
          }
          if (!handedOn.add(gj)) {
            gj = gj.dup(); // one gradient handed to two inputs: each needs its own
          }
          Gradient before = pending.get(inputs[j]);
          if (gj == g && gBytes != null) {
            gBytes.close(); // the same gradient goes on: count it once, under its new owner
            gBytes = null;
          }
          if (before == null) {
            pending.put(inputs[j], gj);
            track(inputs[j], gj, pendingBytes);
          } else {
            before.add(gj);
            if (gj != g) {
              gj.free();
            }
            handedOn.remove(gj);
          }
        }
        if (!handedOn.contains(g)) {
          g.free();
        }
      }
      if (gBytes != null) {
        gBytes.close();
      }
      node.release();
      v.dropCreator();
      if (v.tensor() != null) {
        v.tensor().close();
      }
    }
  }

  /**
   * Runs one node's backward in the form it has: on buffers of its output's backend when it can
   * (the gradient stays there), else on host arrays. Results equal to the incoming gradient are
   * {@code g} itself; one result handed to several inputs is one gradient.
   */
  private static Gradient[] run(Node node, Variable v, Gradient g) {
    Variable[] inputs = node.inputs();
    Gradient[] out = new Gradient[inputs.length];
    Map<Object, Gradient> made = new IdentityHashMap<>();
    if (node.backwardOnBuffers() && v.tensor() != null) {
      Buffer in = g.buffer();
      Buffer[] grads = node.backwardBuffers(in);
      if (handsOn(grads, in)) {
        g.bufferWritten(); // handed on, perhaps written over (a node writes into gradOut only to hand it on)
      }
      for (int j = 0; j < inputs.length; j++) {
        Buffer b = grads[j];
        Variable input = inputs[j];
        out[j] = b == null ? null : b == in ? g : made.computeIfAbsent(b, k -> Gradient.ofBuffer(b, shapeOf(input, b)));
      }
      return out;
    }
    if (node.givesBufferGradients() && v.tensor() == null) {
      g.moveToArray();
      Buffer[] grads = node.backwardToBuffers(g.array());
      for (int j = 0; j < inputs.length; j++) {
        Buffer b = grads[j];
        Variable input = inputs[j];
        out[j] = b == null ? null : made.computeIfAbsent(b, k -> Gradient.ofBuffer(b, shapeOf(input, b)));
      }
      return out;
    }
    g.moveToArray();
    INDArray in = g.array();
    INDArray[] grads = node.backward(in);
    if (handsOn(grads, in)) {
      g.arrayWritten(); // handed on, perhaps written over
    }
    for (int j = 0; j < inputs.length; j++) {
      INDArray a = grads[j];
      Backend be = backendOf(inputs[j]);
      out[j] = a == null ? null : a == in ? g : made.computeIfAbsent(a, k -> Gradient.ofArray(be, a));
    }
    return out;
  }

  /** True when one of a node's results is its incoming gradient itself (identity, not equal values). */
  private static boolean handsOn(Object[] results, Object in) {
    for (Object r : results) {
      if (r == in) {
        return true;
      }
    }
    return false;
  }

  /** The array shape a buffer gradient of {@code v} has: v's own shape when the sizes agree. */
  private static long[] shapeOf(Variable v, Buffer b) {
    long[] s = v.shape();
    long n = 1;
    for (long d : s) {
      n *= d;
    }
    return n == b.length() ? s : new long[] {b.rows(), b.cols()};
  }

  /** Where a value's gradients live: its tensor's or buffer's backend, or the host for a dense array. */
  private static Backend backendOf(Variable v) {
    return v.backend() != null ? v.backend() : HOST;
  }

  private static void track(Variable v, Gradient g, Map<Variable, Allocation> pendingBytes) {
    if (v.tensor() != null) {
      pendingBytes.put(v, v.tensor().manager().memory()
          .acquire(MemoryCategory.GRADIENTS, g.bytes(), "pending gradient"));
    }
  }

  /** Values below root, each after all values it depends on. */
  private static List<Variable> topologicalOrder(Variable root) {
    List<Variable> order = new ArrayList<>();
    Set<Variable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, 0});
    visited.add(root);
    while (!stack.isEmpty()) {
      Object[] top = stack.peek();
      Variable v = (Variable) top[0];
      int next = (Integer) top[1];
      Node node = v.creator();
      Variable[] inputs = node == null ? new Variable[0] : node.inputs();
      if (next < inputs.length) {
        top[1] = next + 1;
        Variable in = inputs[next];
        if (in.requiresGrad() && visited.add(in)) {
          stack.push(new Object[] {in, 0});
        }
      } else {
        stack.pop();
        order.add(v);
      }
    }
    return order;
  }
}
