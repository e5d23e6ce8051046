package org.jsparse.benchmarks;

import java.util.concurrent.TimeUnit;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.core.ops.OpPlan;
import org.jsparse.core.ops.SparseConvolution;
import org.jsparse.core.tensor.SparseTensor;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Submanifold 3x3x3 convolution forward on the CT skull shell at C in = C out, with the kernel map
 * built in setup (this measures the arithmetic, not the map). In the same run: the ND4J square
 * sgemm (BLAS peak) and the tall-skinny GEMM of the same N and C, so ratios come from one run.
 * Effective GFLOP/s = 2 * pairs * Cin * Cout / time; {@link CoreFigures} computes it.
 *
 * <p>HOW TO RUN: {@code java -jar benchmarks/target/benchmarks.jar ConvolutionBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx8g"})
public class ConvolutionBenchmark {
  /** Channels in and out. */
  @Param({"16", "32", "64"})
  public int channels;

  private CoordinateManager cm;
  private SparseTensor x;
  private INDArray weight;
  private OpPlan plan;
  private INDArray squareA;
  private INDArray squareB;
  private INDArray squareC;
  private INDArray tallA;
  private INDArray tallW;
  private INDArray tallC;

  /** Builds the tensor, weights, plan (kernel map) and the GEMM operands. */
  @Setup(Level.Trial)
  public void setUp() {
    Nd4j.getRandom().setSeed(1);
    Coordinates shell = Volumes.boneShell(1);
    cm = new CoordinateManager(3);
    x = SparseTensor.create(cm, shell, TensorStride.uniform(3, 1), Nd4j.rand(DataType.FLOAT, shell.size(), channels));
    weight = Nd4j.rand(DataType.FLOAT, 27, channels, channels).subi(0.5f);
    plan = SparseConvolution.plan(x, ConvolutionSpec.submanifold(KernelRegion.cube(3, 3)));
    squareA = Nd4j.rand(DataType.FLOAT, 2048, 2048);
    squareB = Nd4j.rand(DataType.FLOAT, 2048, 2048);
    squareC = Nd4j.create(DataType.FLOAT, 2048, 2048);
    tallA = Nd4j.rand(DataType.FLOAT, x.size(), channels);
    tallW = Nd4j.rand(DataType.FLOAT, channels, channels);
    tallC = Nd4j.create(DataType.FLOAT, x.size(), channels);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    cm.close();
  }

  /** Pairs of the kernel map, for the effective-FLOP count. */
  public long pairs() {
    return plan.kernelMap().pairCount();
  }

  /** Sites of the input. */
  public int sites() {
    return x.size();
  }

  /** The sparse convolution forward (kernel map cached). */
  @Benchmark
  public INDArray submanifoldForward() {
    return SparseConvolution.forward(x, weight, null, plan).features();
  }

  /** BLAS reference: square 2048^3 sgemm into a preallocated output. */
  @Benchmark
  public INDArray squareSgemm() {
    return Nd4j.gemm(squareA, squareB, squareC, false, false, 1.0, 0.0);
  }

  /** BLAS reference: [N x C] x [C x C], the shape a gather-GEMM-scatter conv runs. */
  @Benchmark
  public INDArray tallSkinnyGemm() {
    return Nd4j.gemm(tallA, tallW, tallC, false, false, 1.0, 0.0);
  }
}
