package org.jsparse.core.memory;

import java.util.Map;

/**
 * Current and peak bytes per category on one device, copied out of a {@link MemoryLedger}.
 *
 * @param device the device counted
 * @param current bytes held now, per category
 * @param peak highest bytes held at once, per category
 * @param currentTotal bytes held now in all
 * @param peakTotal highest bytes held at once in all
 */
public record MemoryReport(
    String device,
    Map<MemoryCategory, Long> current,
    Map<MemoryCategory, Long> peak,
    long currentTotal,
    long peakTotal) {

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("memory on %s: now %.1f MiB, peak %.1f MiB%n", device, mib(currentTotal), mib(peakTotal)));
    for (MemoryCategory c : MemoryCategory.values()) {
      b.append(String.format("  %-18s now %10.1f MiB  peak %10.1f MiB%n", c, mib(current.get(c)), mib(peak.get(c))));
    }
    return b.toString();
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
