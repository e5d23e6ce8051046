package org.jsparse.core.kmap;

/** What a kernel map is for; part of its cache key because each kind pairs rows differently. */
public enum MapKind {
  /** Convolution, submanifold or strided: {@code in = out + offset}, offsets at the input stride. */
  CONVOLUTION,
  /** Transposed (and generative transposed) conv: {@code in = out - offset}, offsets at the output stride. */
  TRANSPOSED,
  /** Pooling: same pairs as CONVOLUTION, cached apart so a pooling layer never hits a conv's entry by accident. */
  POOLING,
  /** Identity pairs between two maps at the same stride: rows with equal coordinates. */
  ALIGNMENT
}
