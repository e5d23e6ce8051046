package org.jsparse.core.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The heap matrices one CPU op works in, counted as WORKSPACE in the manager's ledger until the op
 * closes the workspace: the copies of inputs and the accumulators of outputs that exist beside
 * the ND4J feature matrices while an op runs.
 */
public final class HostWorkspace implements AutoCloseable {
  private final MemoryLedger ledger;
  private final List<Allocation> allocations = new ArrayList<>();

  public HostWorkspace(MemoryLedger ledger) {
    this.ledger = ledger;
  }

  /** A counted heap copy of a 2-D INDArray. */
  public HostMatrix copyOf(INDArray a) {
    return count(HostMatrix.of(a));
  }

  /** A counted zero matrix. */
  public HostMatrix zeros(DataType type, int rows, int cols) {
    return count(HostMatrix.zeros(type, rows, cols));
  }

  private HostMatrix count(HostMatrix m) {
    allocations.add(ledger.acquire(MemoryCategory.WORKSPACE, m.bytes()));
    return m;
  }

  @Override
  public void close() {
    allocations.forEach(Allocation::close);
    allocations.clear();
  }
}
