package org.jsparse.core.ops;

/** How pooling reduces the inputs of one output site. */
public enum PoolingMode {
  /** Per-channel maximum; the gradient goes to the first input that holds it. */
  MAX,
  /** Mean over the inputs present in the window (missing sites do not count). */
  AVERAGE,
  /** Sum over the inputs present in the window. */
  SUM
}
