package org.jsparse.nn.autograd;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jsparse.core.tensor.SparseTensor;

/**
 * Gives back, on close, the ledger bytes of every sparse op result made inside the scope except
 * the ones {@link #keep kept}: {@code try (TensorScope s = TensorScope.open()) { ...; s.keep(out); }}.
 * Inference under {@link NoGrad} and recomputed (checkpointed) segments use it so that dropped
 * activations stop counting in the memory ledger. Scopes belong to the calling thread and nest;
 * a kept result moves to the enclosing scope.
 */
public final class TensorScope implements AutoCloseable {
  private static final ThreadLocal<Deque<TensorScope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);
  private final List<SparseTensor> made = new ArrayList<>();
  private final Set<SparseTensor> kept = Collections.newSetFromMap(new IdentityHashMap<>());
  private boolean closed;

  private TensorScope() {}

  /** Opens a scope on this thread. */
  public static TensorScope open() {
    TensorScope s = new TensorScope();
    OPEN.get().push(s);
    return s;
  }

  static void register(SparseTensor t) {
    TensorScope s = OPEN.get().peek();
    if (s != null) {
      s.made.add(t);
    }
  }

  /** Keeps a value's tensor alive past this scope (it is handed to the enclosing scope, if any). */
  public Variable keep(Variable v) {
    if (v.tensor() != null) {
      kept.add(v.tensor());
    }
    return v;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Deque<TensorScope> stack = OPEN.get();
    if (stack.peek() != this) {
      throw new IllegalStateException("tensor scopes must be closed in the reverse order they were opened");
    }
    stack.pop();
    TensorScope outer = stack.peek();
    for (SparseTensor t : made) {
      if (!kept.contains(t)) {
        t.close();
      } else if (outer != null) {
        outer.made.add(t);
      }
    }
    made.clear();
  }
}
