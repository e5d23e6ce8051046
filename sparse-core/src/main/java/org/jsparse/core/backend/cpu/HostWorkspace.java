package org.jsparse.core.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.core.internal.NativeArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Temporary native matrices of one CPU op, counted as WORKSPACE in the manager's ledger and freed
 * the moment the op closes the workspace, not when the GC finds them.
 */
final class HostWorkspace implements AutoCloseable {
  private final MemoryLedger ledger;
  private final List<Allocation> allocations = new ArrayList<>();
  private final List<INDArray> temporaries = new ArrayList<>();

  HostWorkspace(MemoryLedger ledger) {
    this.ledger = ledger;
  }

  /** A counted zero temporary, freed when the workspace closes. */
  HostMatrix zeros(DataType type, int rows, int cols) {
    HostMatrix m = HostMatrix.zeros(type, rows, cols);
    allocations.add(ledger.acquire(MemoryCategory.WORKSPACE, m.bytes(), "cpu workspace"));
    temporaries.add(m.toINDArray());
    return m;
  }

  @Override
  public void close() {
    temporaries.forEach(NativeArrays::free);
    temporaries.clear();
    allocations.forEach(Allocation::close);
    allocations.clear();
  }
}
