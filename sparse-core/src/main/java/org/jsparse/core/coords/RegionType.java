package org.jsparse.core.coords;

/** Shape of a kernel's set of offsets. */
public enum RegionType {
  /** Every combination of per-axis positions: K1 x K2 x ... x KD offsets. */
  HYPERCUBE,
  /** The centre plus the positions along each axis alone: 1 + sum(Ki - 1) offsets (odd sizes). */
  HYPERCROSS,
  /** An explicit list of offsets in kernel steps. */
  CUSTOM
}
