/**
 * Memory of one convolution layer, sparse against dense: one JVM per point, peak RSS net of the
 * runtime floor and the ledger's peak, for our layer on the active sites and ND4J's dense conv3d
 * on the whole grid.
 */
package org.jsparse.benchmarks.layer;
