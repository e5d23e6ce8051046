package org.jsparse.core.memory;

/** What a tracked buffer holds; the ledger reports current and peak bytes per category. */
public enum MemoryCategory {
  /** Feature matrices of sparse tensors. */
  FEATURES,
  /** Gradients produced by backward passes. */
  GRADIENTS,
  /** Kernel maps (the pair lists of a convolution). */
  KERNEL_MAPS,
  /** Coordinate tables and their hash tables. */
  COORDINATES,
  /** Temporary buffers an op holds only while it runs (gathered rows, GEMM outputs). */
  WORKSPACE,
  /** Tensors an autograd tape keeps alive for a backward pass. */
  SAVED_FOR_BACKWARD,
  /** A model's trainable parameters (counted by the optimizer that updates them). */
  PARAMETERS,
  /** An optimizer's per-parameter state (moments, momentum). */
  OPTIMIZER_STATE
}
