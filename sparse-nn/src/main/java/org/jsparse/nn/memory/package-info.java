/**
 * Memory-for-time trades: gradient checkpointing of a layer (its activations recomputed in
 * backward) and invertible residual chains, whose activations are reconstructed from the output.
 */
package org.jsparse.nn.memory;
