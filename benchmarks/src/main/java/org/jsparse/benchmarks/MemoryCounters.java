package org.jsparse.benchmarks;

import org.jsparse.benchmarks.training.ProcStatus;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Memory as JMH auxiliary counters beside the time: the library's ledger peak of the measured
 * call and the forked JVM's process peak (VmHWM, off-heap ND4J memory included). JMH sums EVENTS
 * counters over an iteration's calls, so each is recorded once per iteration (the first call) and
 * reads as the value of one call; JMH then averages the iterations.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class MemoryCounters {
  /** Bytes the manager's ledger held at its peak during one call (0 for ND4J's dense ops, which it does not see). */
  public long ledgerPeakBytes;
  /** The forked JVM's VmHWM after the call, bytes. */
  public long processPeakBytes;
  private boolean recorded;

  @Setup(Level.Iteration)
  public void reset() {
    ledgerPeakBytes = 0;
    processPeakBytes = 0;
    recorded = false;
  }

  /** Records one call's figures, the first time in an iteration. */
  public void record(long ledgerPeak) {
    if (!recorded) {
      ledgerPeakBytes = ledgerPeak;
      processPeakBytes = 1024 * ProcStatus.kib("VmHWM");
      recorded = true;
    }
  }
}
