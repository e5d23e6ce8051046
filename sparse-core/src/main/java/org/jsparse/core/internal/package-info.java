/**
 * The library's internals shared between its packages and modules: native int and long arrays
 * and the one door to raw native memory, {@code malloc_trim}, freeing ND4J arrays now, the
 * coordinate key packing and the coordinate hash. Not API: names and behaviour change without
 * notice, and the examples and benchmarks are checked not to use this package.
 */
package org.jsparse.core.internal;
