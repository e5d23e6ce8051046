/**
 * JMH benchmarks of the library's hot paths: kernel-map builds, sparse convolution forward and
 * backward on real CT volumes, and the BLAS peak they are compared with, plus {@code CoreFigures},
 * which measures the core figures of docs/benchmarks.md in one run. Kernel maps are built outside
 * the timed region unless a benchmark says otherwise.
 */
package org.jsparse.benchmarks;
