package org.jsparse.core.backend.cpu;

import org.jsparse.core.memory.NativeArrays;

import java.util.ArrayList;
import java.util.List;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native matrices one CPU op works in. Inputs are seen in place ({@link #view}); temporaries
 * ({@link #zeros}, and copies of inputs that cannot be seen in place) count as WORKSPACE in the
 * manager's ledger and are freed the moment the op closes the workspace, not when the GC finds
 * them; results ({@link #output}) belong to the caller, who counts them (a tensor counts its
 * features).
 */
public final class HostWorkspace implements AutoCloseable {
  private final MemoryLedger ledger;
  private final List<Allocation> allocations = new ArrayList<>();
  private final List<INDArray> temporaries = new ArrayList<>();

  public HostWorkspace(MemoryLedger ledger) {
    this.ledger = ledger;
  }

  /** {@code a} seen in place; a counted temporary copy only when it is not row-major and packed. */
  public HostMatrix view(INDArray a) {
    HostMatrix m = HostMatrix.of(a);
    if (m.isCopyOf(a)) {
      count(m);
    }
    return m;
  }

  /** Same as {@link #view}. */
  public HostMatrix copyOf(INDArray a) {
    return view(a);
  }

  /** A counted zero temporary, freed when the workspace closes. */
  public HostMatrix zeros(DataType type, int rows, int cols) {
    return count(HostMatrix.zeros(type, rows, cols));
  }

  /** A zero result matrix the caller takes over ({@link HostMatrix#toINDArray}); not freed here. */
  public HostMatrix output(DataType type, int rows, int cols) {
    return HostMatrix.zeros(type, rows, cols);
  }

  private HostMatrix count(HostMatrix m) {
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
