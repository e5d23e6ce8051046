/**
 * The CPU backend: loops over ND4J's native buffers in place, GEMMs through ND4J's BLAS, every
 * result the same bit for bit whatever the thread count. Everything here is package-private except
 * the {@link java.util.ServiceLoader} provider; use it through {@code Backends.cpu()}.
 */
package org.jsparse.core.backend.cpu;
