/**
 * The sparse ops on {@link org.jsparse.core.tensor.SparseTensor}s, each a forward function and
 * the backward functions its gradients need: convolution in every geometry (submanifold, strided,
 * transposed, generative), pooling, global pooling, pruning, union and channel concatenation. Ops
 * check their inputs, plan their coordinate and kernel maps through the tensors' manager
 * ({@link org.jsparse.core.ops.OpPlan}) and run on the manager's backend.
 */
package org.jsparse.core.ops;
