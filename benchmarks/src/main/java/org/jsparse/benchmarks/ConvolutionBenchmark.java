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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Submanifold 3x3x3 convolution, forward and backward (input and weight gradients together), on
 * the CT skull's bone and its shell at C in = C out, with the kernel map built in setup (this
 * measures the arithmetic, not the map). In the same run: the tall-skinny
 * GEMM of the same N and C, and {@link BlasPeakBenchmark}'s square sgemm, so ratios come from one run.
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

  /**
   * Which site set: the CT's one-voxel skull shell (2.8 % of the grid) or all its bone (6.7 %); "brain"
   * (the MRI brain mask of DATA.md, 24.4 %) on request ({@code -p volume=brain}).
   */
  @Param({"shell", "bone"})
  public String volume;

  private CoordinateManager cm;
  private SparseTensor x;
  private INDArray weight;
  private OpPlan plan;
  private INDArray gradOut;
  private INDArray tallA;
  private INDArray tallW;
  private INDArray tallC;

  /** Builds the tensor, weights, plan (kernel map) and the GEMM operands. */
  @Setup(Level.Trial)
  public void setUp() {
    Nd4j.getRandom().setSeed(1);
    Coordinates shell = Volumes.sites(volume);
    cm = new CoordinateManager(3);
    x = SparseTensor.create(cm, shell, TensorStride.uniform(3, 1), Nd4j.rand(DataType.FLOAT, shell.size(), channels));
    weight = Nd4j.rand(DataType.FLOAT, 27, channels, channels).subi(0.5f);
    plan = SparseConvolution.plan(x, ConvolutionSpec.submanifold(KernelRegion.cube(3, 3)));
    gradOut = Nd4j.rand(DataType.FLOAT, x.size(), channels).subi(0.5f);
    tallA = Nd4j.rand(DataType.FLOAT, x.size(), channels);
    tallW = Nd4j.rand(DataType.FLOAT, channels, channels);
    tallC = Nd4j.create(DataType.FLOAT, x.size(), channels);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    cm.close();
  }

  /** The sparse convolution forward (kernel map cached); the output is freed after it is consumed. */
  @Benchmark
  public void submanifoldForward(Blackhole bh) {
    try (SparseTensor y = SparseConvolution.forward(x, weight, null, plan)) {
      bh.consume(y.features().getFloat(0));
    }
  }

  /**
   * Both gradients of the convolution, input and weight, as a training step's backward computes
   * them (kernel map cached); the gradients are freed after they are consumed.
   */
  @Benchmark
  public void submanifoldBackward(Blackhole bh) {
    try (INDArray gradIn = SparseConvolution.backwardInput(plan, gradOut, weight);
        INDArray gradWeight = SparseConvolution.backwardWeight(plan, x.features(), gradOut)) {
      bh.consume(gradIn.getFloat(0) + gradWeight.getFloat(0));
    }
  }

  /** BLAS reference: [N x C] x [C x C], the shape a gather-GEMM-scatter conv runs. */
  @Benchmark
  public INDArray tallSkinnyGemm() {
    return Nd4j.gemm(tallA, tallW, tallC, false, false, 1.0, 0.0);
  }
}
