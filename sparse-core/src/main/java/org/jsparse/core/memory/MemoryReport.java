package org.jsparse.core.memory;

import java.util.List;
import java.util.Map;

/**
 * Current and peak bytes per category on one device, copied out of a {@link MemoryLedger}.
 *
 * @param device the device counted
 * @param current bytes held now, per category
 * @param peak highest bytes held at once, per category
 * @param currentTotal bytes held now in all
 * @param peakTotal highest bytes held at once in all
 * @param atPeak who held the bytes at the moment of the total peak, largest first
 */
public record MemoryReport(
    String device,
    Map<MemoryCategory, Long> current,
    Map<MemoryCategory, Long> peak,
    long currentTotal,
    long peakTotal,
    List<Holder> atPeak) {

  /** Bytes one op held in one category at the peak. */
  public record Holder(String op, MemoryCategory category, long bytes) {}

  /** The {@code n} largest holders at the peak. */
  public List<Holder> topAtPeak(int n) {
    return atPeak.subList(0, Math.min(n, atPeak.size()));
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("memory on %s: now %.1f MiB, peak %.1f MiB%n", device, mib(currentTotal), mib(peakTotal)));
    for (MemoryCategory c : MemoryCategory.values()) {
      b.append(String.format("  %-18s now %10.1f MiB  peak %10.1f MiB%n", c, mib(current.get(c)), mib(peak.get(c))));
    }
    if (!atPeak.isEmpty()) {
      b.append("  at the peak:").append(System.lineSeparator());
      for (Holder h : topAtPeak(8)) {
        b.append(String.format("    %-28s %-18s %10.1f MiB%n", h.op(), h.category(), mib(h.bytes())));
      }
    }
    return b.toString();
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
