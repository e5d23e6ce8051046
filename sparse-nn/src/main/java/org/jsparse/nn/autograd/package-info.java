/**
 * Tape-based reverse-mode autograd over sparse and dense values: {@link
 * org.jsparse.nn.autograd.Variable} (a value and its gradient), {@link
 * org.jsparse.nn.autograd.Node} (an op's backward step), {@link org.jsparse.nn.autograd.NoGrad}
 * (inference: record nothing) and {@link org.jsparse.nn.autograd.TensorScope} (give back the
 * ledger bytes of results made inside a scope). The tape frees each buffer after its last use in
 * backward; layers, losses, optimizers and networks built on it are in the sibling packages.
 *
 * <p>Your own differentiable op is a {@link org.jsparse.nn.autograd.Node} subclass (its backward
 * maps the output's gradient to the inputs') and a result made with {@link
 * org.jsparse.nn.autograd.Variables#result}: the same two calls every op of sparse-nn makes.
 */
package org.jsparse.nn.autograd;
