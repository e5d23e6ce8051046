package org.jsparse.nn.layers;

import org.jsparse.nn.Module;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.PerBatch;

/**
 * Multiplies every site by its batch item's vector {@code [B, C]}, channel by channel (a
 * squeeze-and-excitation gate after a global pooling and a sigmoid).
 */
public final class BroadcastMultiply extends Module {
  public Variable forward(Variable x, Variable perBatch) {
    return PerBatch.broadcastMultiply(x, perBatch);
  }
}
