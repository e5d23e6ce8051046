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
import org.jsparse.core.internal.NativeArrays;
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
    Map<Variable, INDArray> pending = new IdentityHashMap<>();
    Map<Variable, Allocation> pendingBytes = new IdentityHashMap<>();
    pending.put(root, seed.dup());
    for (int i = order.size() - 1; i >= 0; i--) {
      Variable v = order.get(i);
      INDArray g = pending.remove(v);
      Allocation gBytes = pendingBytes.remove(v);
      Node node = v.creator();
      if (node == null) {
        if (gBytes != null) {
          gBytes.close();
        }
        if (g != null && v.requiresGrad()) {
          v.accumulateOwned(g);
        } else {
          NativeArrays.free(g);
        }
        continue;
      }
      if (g != null) {
        node.checkSavedVersions();
        if (!node.readsOutput() && v.tensor() != null) {
          v.tensor().close();
        }
        INDArray[] grads = node.backward(g);
        Variable[] inputs = node.inputs();
        Set<INDArray> handedOn = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int j = 0; j < inputs.length; j++) {
          INDArray gj = grads[j];
          if (gj == null) {
            continue;
          }
          if (!inputs[j].requiresGrad()) {
            if (gj != g && !handedOn.contains(gj)) {
              NativeArrays.free(gj);
            }
            continue;
          }
          if (!handedOn.add(gj)) {
            gj = gj.dup(); // one array handed to two inputs: each needs its own
          }
          INDArray before = pending.get(inputs[j]);
          if (gj == g && gBytes != null) {
            gBytes.close(); // the same array goes on: count it once, under its new owner
            gBytes = null;
          }
          if (before == null) {
            pending.put(inputs[j], gj);
            track(inputs[j], gj, pendingBytes);
          } else {
            before.addi(gj);
            if (gj != g) {
              NativeArrays.free(gj);
            }
            handedOn.remove(gj);
          }
        }
        if (!handedOn.contains(g)) {
          NativeArrays.free(g);
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

  private static void track(Variable v, INDArray g, Map<Variable, Allocation> pendingBytes) {
    if (v.tensor() != null) {
      pendingBytes.put(v, v.tensor().manager().memory()
          .acquire(MemoryCategory.GRADIENTS, g.length() * g.dataType().width(), "pending gradient"));
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
