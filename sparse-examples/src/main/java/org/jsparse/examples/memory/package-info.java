/**
 * The training-memory example: peak training memory of a deep sparse residual network trained
 * plainly, with checkpointed segments and as an invertible chain, with each variant's gradients
 * compared with plain backprop.
 */
package org.jsparse.examples.memory;
