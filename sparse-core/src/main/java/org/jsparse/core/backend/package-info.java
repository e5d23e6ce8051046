/**
 * The backend seam: {@link org.jsparse.core.backend.Backend} allocates, counts and frees every
 * feature-sized {@link org.jsparse.core.backend.Buffer} and runs the ops on them (convolution,
 * gather and scatter, pooling, pointwise, normalization, optimizer updates). Backends are found
 * with {@link java.util.ServiceLoader} ({@link org.jsparse.core.backend.Backends}): the CPU one is
 * always there, the CUDA one when sparse-cuda is on the class path and a GPU is found.
 */
package org.jsparse.core.backend;
