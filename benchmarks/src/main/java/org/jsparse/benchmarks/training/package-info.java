/**
 * The training-memory runner: one JVM per point, one training step of the skull-completion
 * network on the skull of the memory issue's recipe, printing the ledgers' peaks, the process's
 * peak RSS net of its floor, step time and page faults as one JSON line per point; and the
 * network's dense twin in SameDiff ({@code DenseCompletionTwin}, {@code DenseTwinPoint}), measured
 * the same way.
 */
package org.jsparse.benchmarks.training;
