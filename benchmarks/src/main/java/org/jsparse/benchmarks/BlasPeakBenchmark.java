package org.jsparse.benchmarks;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's BLAS peak as ND4J reaches it: square 2048^3 sgemm into a preallocated output
 * ({@code Nd4j.gemm}, the fast call; {@code mmul} allocates and is slower). The denominator of
 * every "ratio to sgemm" figure.
 *
 * <p>HOW TO RUN: {@code java -jar benchmarks/target/benchmarks.jar BlasPeak}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class BlasPeakBenchmark {
  /** Matrix side. */
  public static final int N = 2048;
  private INDArray a;
  private INDArray b;
  private INDArray c;

  /** Random operands. */
  @Setup(Level.Trial)
  public void setUp() {
    a = Nd4j.rand(DataType.FLOAT, N, N);
    b = Nd4j.rand(DataType.FLOAT, N, N);
    c = Nd4j.create(DataType.FLOAT, N, N);
  }

  /** One square sgemm. */
  @Benchmark
  public INDArray squareSgemm() {
    return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
  }
}
