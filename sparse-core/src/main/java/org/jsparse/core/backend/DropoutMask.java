package org.jsparse.core.backend;

/**
 * The mask of {@link Backend#dropout}: whether element {@code i} of a buffer (row-major) is dropped
 * for a seed, as a function of the two alone (counter-based, SplitMix64's mixer twice), so that every
 * backend draws the same mask for any thread count, and a backward pass draws it again instead of
 * keeping it. The CUDA kernel {@code dropout} computes the same bits.
 */
public final class DropoutMask {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private DropoutMask() {}

  /** SplitMix64's output function: a bijection of 64-bit words that spreads every input bit. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The stream of one seed: mixed first, so that nearby seeds do not share shifted masks. */
  public static long key(long seed) {
    return mix(seed);
  }

  /** True when element {@code i} of the stream {@code key} is dropped at probability {@code p}: a uniform double in [0, 1) below p. */
  public static boolean dropped(long key, long i, double p) {
    return (mix(key + (i + 1) * GOLDEN) >>> 11) * 0x1.0p-53 < p;
  }
}
