package org.jsparse.core.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one accounting point for the buffers a coordinate manager's tensors and ops allocate:
 * current and peak bytes per {@link MemoryCategory} and in total, and, for the peak, which op
 * held how much in which category. Every allocation is taken with {@link #acquire} and given back
 * by closing the returned {@link Allocation}. One ledger per {@code CoordinateManager} (no global
 * state); thread-safe.
 */
public final class MemoryLedger {
  /** The label of allocations made without one. */
  public static final String UNLABELLED = "other";

  private final String device;
  private final EnumMap<MemoryCategory, Long> current = new EnumMap<>(MemoryCategory.class);
  private final EnumMap<MemoryCategory, Long> peak = new EnumMap<>(MemoryCategory.class);
  private final Map<Label, Long> byLabel = new HashMap<>();
  private Map<Label, Long> atPeak = Map.of();
  private long total;
  private long totalPeak;

  /** An op and a category: the unit the peak is broken down by. */
  record Label(String op, MemoryCategory category) {}

  /** A ledger for one device, e.g. {@code "cpu"} or {@code "cuda:0"}. */
  public MemoryLedger(String device) {
    this.device = device;
    for (MemoryCategory c : MemoryCategory.values()) {
      current.put(c, 0L);
      peak.put(c, 0L);
    }
  }

  /** The device this ledger counts. */
  public String device() {
    return device;
  }

  /** Records {@code bytes} taken in {@code category}; close the result to give them back. */
  public Allocation acquire(MemoryCategory category, long bytes) {
    return acquire(category, bytes, UNLABELLED);
  }

  /**
   * Records {@code bytes} taken in {@code category} by {@code op} (a short name such as
   * {@code "convolution"}: the peak is broken down by it); close the result to give them back.
   */
  public synchronized Allocation acquire(MemoryCategory category, long bytes, String op) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative allocation: " + bytes + " bytes");
    }
    Label label = new Label(op, category);
    long c = current.merge(category, bytes, Long::sum);
    peak.merge(category, c, Math::max);
    byLabel.merge(label, bytes, Long::sum);
    total += bytes;
    if (total > totalPeak) {
      totalPeak = total;
      atPeak = Map.copyOf(byLabel);
    }
    return new Allocation(this, label, bytes);
  }

  synchronized void release(Label label, long bytes) {
    current.merge(label.category(), -bytes, Long::sum);
    byLabel.merge(label, -bytes, Long::sum);
    if (byLabel.get(label) == 0) {
      byLabel.remove(label);
    }
    total -= bytes;
  }

  /** Bytes held now in one category. */
  public synchronized long current(MemoryCategory category) {
    return current.get(category);
  }

  /** Highest bytes held at once in one category since creation or the last {@link #resetPeaks}. */
  public synchronized long peak(MemoryCategory category) {
    return peak.get(category);
  }

  /** Bytes held now over all categories. */
  public synchronized long currentTotal() {
    return total;
  }

  /** Highest total held at once since creation or the last {@link #resetPeaks}. */
  public synchronized long peakTotal() {
    return totalPeak;
  }

  /** Sets every peak to the current value, to measure the peak of the next step alone. */
  public synchronized void resetPeaks() {
    for (MemoryCategory c : MemoryCategory.values()) {
      peak.put(c, current.get(c));
    }
    totalPeak = total;
    atPeak = Map.copyOf(byLabel);
  }

  /** An immutable copy of the current and peak figures, with the peak broken down by op and category. */
  public synchronized MemoryReport report() {
    List<MemoryReport.Holder> holders = new ArrayList<>();
    atPeak.forEach((l, b) -> holders.add(new MemoryReport.Holder(l.op(), l.category(), b)));
    holders.sort(Comparator.comparingLong(MemoryReport.Holder::bytes).reversed()
        .thenComparing(MemoryReport.Holder::op).thenComparing(MemoryReport.Holder::category));
    return new MemoryReport(device, Map.copyOf(current), Map.copyOf(peak), total, totalPeak, List.copyOf(holders));
  }
}
