package org.jsparse.core.memory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one accounting point for the buffers a coordinate manager's tensors and ops allocate:
 * current and peak bytes per {@link MemoryCategory} and in total. Every allocation is taken with
 * {@link #acquire} and given back by closing the returned {@link Allocation}. One ledger per
 * {@code CoordinateManager} (no global state); thread-safe.
 */
public final class MemoryLedger {
  private final String device;
  private final EnumMap<MemoryCategory, AtomicLong> current = new EnumMap<>(MemoryCategory.class);
  private final EnumMap<MemoryCategory, AtomicLong> peak = new EnumMap<>(MemoryCategory.class);
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong totalPeak = new AtomicLong();

  /** A ledger for one device, e.g. {@code "cpu"} or {@code "cuda:0"}. */
  public MemoryLedger(String device) {
    this.device = device;
    for (MemoryCategory c : MemoryCategory.values()) {
      current.put(c, new AtomicLong());
      peak.put(c, new AtomicLong());
    }
  }

  /** The device this ledger counts. */
  public String device() {
    return device;
  }

  /** Records {@code bytes} taken in {@code category}; close the result to give them back. */
  public Allocation acquire(MemoryCategory category, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative allocation: " + bytes + " bytes");
    }
    long c = current.get(category).addAndGet(bytes);
    peak.get(category).accumulateAndGet(c, Math::max);
    long t = total.addAndGet(bytes);
    totalPeak.accumulateAndGet(t, Math::max);
    return new Allocation(this, category, bytes);
  }

  void release(MemoryCategory category, long bytes) {
    current.get(category).addAndGet(-bytes);
    total.addAndGet(-bytes);
  }

  /** Bytes held now in one category. */
  public long current(MemoryCategory category) {
    return current.get(category).get();
  }

  /** Highest bytes held at once in one category since creation or the last {@link #resetPeaks}. */
  public long peak(MemoryCategory category) {
    return peak.get(category).get();
  }

  /** Bytes held now over all categories. */
  public long currentTotal() {
    return total.get();
  }

  /** Highest total held at once since creation or the last {@link #resetPeaks}. */
  public long peakTotal() {
    return totalPeak.get();
  }

  /** Sets every peak to the current value, to measure the peak of the next step alone. */
  public void resetPeaks() {
    for (MemoryCategory c : MemoryCategory.values()) {
      peak.get(c).set(current.get(c).get());
    }
    totalPeak.set(total.get());
  }

  /** An immutable copy of the current and peak figures. */
  public MemoryReport report() {
    Map<MemoryCategory, Long> cur = new EnumMap<>(MemoryCategory.class);
    Map<MemoryCategory, Long> pk = new EnumMap<>(MemoryCategory.class);
    for (MemoryCategory c : MemoryCategory.values()) {
      cur.put(c, current(c));
      pk.put(c, peak(c));
    }
    return new MemoryReport(device, Map.copyOf(cur), Map.copyOf(pk), currentTotal(), peakTotal());
  }
}
