package org.jsparse.nn.memory;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jsparse.nn.Module;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies of a module's buffers (running statistics, dropout counters), so that a recomputation
 * sees exactly the state the original forward pass saw and leaves the state as it found it.
 */
final class BufferSnapshot {
  private final Map<String, INDArray> copies = new LinkedHashMap<>();
  private final Module module;

  BufferSnapshot(Module module) {
    this.module = module;
    module.namedBuffers().forEach((n, b) -> copies.put(n, b.dup()));
  }

  void restore() {
    module.namedBuffers().forEach((n, b) -> b.assign(copies.get(n)));
  }
}
