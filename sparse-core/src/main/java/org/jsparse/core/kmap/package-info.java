/**
 * Coordinate maps and kernel maps: the {@link org.jsparse.core.kmap.CoordinateManager} owns every
 * coordinate table of a batch (packed keys in native memory), derives strided, generated, pruned
 * and union maps from them, builds and caches the kernel maps ops run on, and counts all of it in
 * its {@link org.jsparse.core.memory.MemoryLedger}. {@link org.jsparse.core.kmap.KernelMap} is
 * what a backend reads: per kernel offset, the (input row, output row) pairs.
 */
package org.jsparse.core.kmap;
