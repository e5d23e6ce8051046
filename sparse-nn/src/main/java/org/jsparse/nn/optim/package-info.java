/**
 * Optimizers (SGD with momentum and Nesterov, Adam, AdamW, AMSGrad) with PyTorch's semantics,
 * updating parameters in place through the backend's fused kernels, and learning-rate schedules.
 * An optimizer's ledger counts the training state: parameters, gradients, its own slots.
 */
package org.jsparse.nn.optim;
