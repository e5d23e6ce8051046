package org.jsparse.core.kmap;

import java.util.stream.IntStream;
import org.jsparse.core.internal.NativeInts;

/** Reorders the pairs of each offset of a kernel map by output row (a stable counting sort). */
final class PairOrder {
  private PairOrder() {}

  /** True when the pairs of every offset are in increasing output row. */
  static boolean isSortedByOutput(KernelMap m) {
    for (int k = 0; k < m.volume(); k++) {
      NativeInts out = m.outsOf(k);
      for (int p = m.start(k) + 1; p < m.end(k); p++) {
        if (out.get(p) < out.get(p - 1)) {
          return false;
        }
      }
    }
    return true;
  }

  /** The same pairs, each offset's sorted by output row; returns {@code m} itself if already sorted. */
  static KernelMap sortedByOutput(KernelMap m) {
    m.checkOpen();
    if (isSortedByOutput(m)) {
      return m;
    }
    NativeInts sortedIn = new NativeInts(m.pairCount());
    NativeInts sortedOut = new NativeInts(m.pairCount());
    int[] start = new int[m.volume() + 1];
    for (int k = 0; k <= m.volume(); k++) {
      start[k] = k < m.volume() ? m.start(k) : m.pairCount();
    }
    int volume = m.volume();
    int workers = Math.max(1, Math.min(volume, Runtime.getRuntime().availableProcessors()));
    IntStream.range(0, workers).parallel().forEach(w -> {
      // within one offset output rows are distinct, so placing by rank is a counting sort;
      // one native scratch per worker (no heap garbage), reused across its offsets
      try (NativeInts from = new NativeInts(m.outRows())) {
        for (int k = w; k < volume; k += workers) {
          NativeInts in = m.insOf(k);
          NativeInts out = m.outsOf(k);
          from.fill(-1);
          for (int p = m.start(k); p < m.end(k); p++) {
            from.set(out.get(p), p);
          }
          int q = m.start(k);
          for (int r = 0; r < m.outRows(); r++) {
            int p = from.get(r);
            if (p >= 0) {
              sortedIn.set(q, in.get(p));
              sortedOut.set(q++, r);
            }
          }
        }
      }
    });
    return new KernelMap(start, sortedIn, sortedOut, m.inRows(), m.outRows(), false, true);
  }
}
