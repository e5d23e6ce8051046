package org.jsparse.core.convert;

/** How the features of points that fall into one voxel are combined. */
public enum Reduction {
  /** The first point's features (in input order). */
  FIRST,
  /** The mean. */
  MEAN,
  /** The sum. */
  SUM,
  /** The per-channel maximum. */
  MAX
}
