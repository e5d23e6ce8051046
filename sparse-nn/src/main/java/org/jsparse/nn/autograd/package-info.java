/**
 * Tape-based reverse-mode autograd over sparse and dense values: {@link
 * org.jsparse.nn.autograd.Variable}, {@link org.jsparse.nn.autograd.Node}, {@link
 * org.jsparse.nn.autograd.NoGrad}. The first part of the sparse-nn issue; layers, losses,
 * optimizers and the U-Nets come next.
 */
package org.jsparse.nn.autograd;
