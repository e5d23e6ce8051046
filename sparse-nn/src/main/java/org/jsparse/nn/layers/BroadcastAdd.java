package org.jsparse.nn.layers;

import org.jsparse.nn.Module;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.PerBatch;

/** Adds a per-batch-item vector {@code [B, C]} (a global pooling, a conditioning) to every site of its item. */
public final class BroadcastAdd extends Module {
  public Variable forward(Variable x, Variable perBatch) {
    return PerBatch.broadcastAdd(x, perBatch);
  }
}
