/** Differentiable functional ops over {@link org.jsparse.nn.autograd.Variable}s, wrapping sparse-core's ops. */
package org.jsparse.nn.functional;
