/** PNG charts of the benchmark results (JFreeChart), made from the runners' JSON lines. */
package org.jsparse.benchmarks.charts;
