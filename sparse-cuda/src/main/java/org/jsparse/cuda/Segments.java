package org.jsparse.cuda;

/**
 * A scatter-add's sources grouped by target on the host (a counting sort, stable), so that the
 * device sums each target's contributions in one thread in source order: deterministic, no
 * atomics. {@code targets[s]} receives the sources {@code sources[offsets[s] .. offsets[s+1])}.
 */
record Segments(int[] targets, int[] offsets, int[] sources) {
  /** Groups sources {@code i} by {@code targetOf[i]} in {@code [0, targetCount)}; -1 means no target. */
  static Segments byTarget(int[] targetOf, int targetCount) {
    int[] count = new int[targetCount + 1];
    for (int i = 0; i < targetOf.length; i++) {
      int t = targetOf[i];
      if (t >= targetCount) {
        throw new IndexOutOfBoundsException("target " + t + " of source " + i + " outside [0, " + targetCount + ")");
      }
      if (t >= 0) {
        count[t + 1]++;
      }
    }
    int segments = 0;
    for (int t = 0; t < targetCount; t++) {
      segments += count[t + 1] > 0 ? 1 : 0;
      count[t + 1] += count[t];
    }
    int[] sources = new int[count[targetCount]];
    int[] fill = java.util.Arrays.copyOf(count, targetCount);
    for (int i = 0; i < targetOf.length; i++) {
      if (targetOf[i] >= 0) {
        sources[fill[targetOf[i]]++] = i;
      }
    }
    int[] targets = new int[segments];
    int[] offsets = new int[segments + 1];
    for (int t = 0, s = 0; t < targetCount; t++) {
      if (count[t + 1] > count[t]) {
        targets[s] = t;
        offsets[s + 1] = count[t + 1];
        s++;
      }
    }
    return new Segments(targets, offsets, sources);
  }

  int count() {
    return targets.length;
  }
}
