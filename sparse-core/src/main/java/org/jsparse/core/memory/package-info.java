/**
 * Memory accounting, the library's one accounting point: a
 * {@link org.jsparse.core.memory.MemoryLedger} per coordinate manager (and per optimizer) keeps
 * current and peak bytes per {@link org.jsparse.core.memory.MemoryCategory} and, at the peak,
 * which op held what ({@link org.jsparse.core.memory.MemoryReport}).
 */
package org.jsparse.core.memory;
