package org.jsparse.benchmarks;

import java.util.concurrent.TimeUnit;
import org.jsparse.core.convert.SparseToDense;
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
 * One 3x3x3 convolution layer, C in = C out, sparse against dense in one run: our submanifold
 * convolution on random sites of a size^3 grid at a given occupancy, or on a real shell resampled
 * into it ({@link #volume}) (kernel map built in setup,
 * so this times the arithmetic), and ND4J's own dense {@code conv3d} (same padding, NCDHW) over
 * the whole grid holding the same features. Results are closed inside the timed region (the
 * dense output is freed, the sparse one given back to its manager) so neither leaks into the
 * next call; both return a value JMH consumes. The forward-backward pair adds both gradients:
 * ours through the cached map, ND4J's through its {@code conv3dnew_bp} op. The occupancy where the times cross is where the
 * sparse layer stops paying off on the CPU.
 *
 * <p>Memory comes with the time as auxiliary counters ({@link MemoryCounters}: the ledger's peak
 * of one sparse call, the fork's VmHWM).
 *
 * <p>HOW TO RUN: {@code java -jar benchmarks/target/benchmarks.jar DenseVsSparseLayerBenchmark}
 * (add {@code -p size=32} for a quick look).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx6g"})
public class DenseVsSparseLayerBenchmark {
  /** Grid side. */
  @Param({"32", "64"})
  public int size;

  /** Fraction of the grid's sites that are active. */
  @Param({"0.005", "0.02", "0.1", "0.3"})
  public double occupancy;

  /**
   * {@code random} (sites at {@link #occupancy}) or a real shell resampled into the grid:
   * {@code skull} (the head CT's bone) or {@code brain} (the MRI brain mask), at their own occupancy.
   */
  @Param({"random"})
  public String volume;

  /** Channels in and out. */
  @Param({"16", "32"})
  public int channels;

  private CoordinateManager cm;
  private SparseTensor x;
  private INDArray weight;
  private OpPlan plan;
  private INDArray dense;
  private INDArray denseWeight;
  private int[] backpropArgs;
  private INDArray gradOut;
  private INDArray denseGradOut;

  @Setup(Level.Trial)
  public void setUp() {
    Coordinates sites = DenseLayerCase.sites(size, occupancy, volume);
    int n = sites.size();
    Nd4j.getRandom().setSeed(1);
    cm = new CoordinateManager(3);
    x = SparseTensor.create(cm, sites, TensorStride.uniform(3, 1),
        Nd4j.rand(DataType.FLOAT, n, channels).subi(0.5f));
    weight = Nd4j.rand(DataType.FLOAT, 27, channels, channels).subi(0.5f);
    plan = SparseConvolution.plan(x, ConvolutionSpec.submanifold(KernelRegion.cube(3, 3)));
    dense = SparseToDense.toDense(x, 1, new int[3], new int[] {size, size, size});
    // ND4J's conv3d weight layout [kD, kH, kW, Cin, Cout]; the offset order of ours does not matter for time
    denseWeight = weight.reshape(3, 3, 3, channels, channels).dup();
    backpropArgs = DenseLayerCase.backpropArgs(dense, denseWeight);
    gradOut = Nd4j.rand(DataType.FLOAT, n, channels).subi(0.5f);
    denseGradOut = Nd4j.rand(DataType.FLOAT, 1, channels, size, size, size).subi(0.5f);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    cm.close();
  }

  /** Our submanifold convolution at the active sites. */
  @Benchmark
  public double sparseForward(MemoryCounters memory) {
    cm.memory().resetPeaks();
    try (SparseTensor y = SparseConvolution.forward(x, weight, null, plan)) {
      memory.record(cm.memory().peakTotal());
      return y.features().getDouble(0, 0);
    }
  }

  /** Our forward and both gradients (input and weight), as one training step of the layer runs them. */
  @Benchmark
  public double sparseForwardBackward(MemoryCounters memory) {
    cm.memory().resetPeaks();
    try (SparseTensor y = SparseConvolution.forward(x, weight, null, plan)) {
      INDArray gin = SparseConvolution.backwardInput(plan, gradOut, weight);
      INDArray gw = SparseConvolution.backwardWeight(plan, x.features(), gradOut);
      double v = y.features().getDouble(0, 0) + gin.getDouble(0, 0) + gw.getDouble(0, 0, 0);
      memory.record(cm.memory().peakTotal());
      gin.close();
      gw.close();
      return v;
    }
  }

  /** ND4J's dense conv3d and its backprop op ({@code conv3dnew_bp}: input and weight gradients). */
  @Benchmark
  public double denseForwardBackward(MemoryCounters memory) {
    INDArray y = Nd4j.cnn().conv3d(dense, denseWeight, DenseLayerCase.CONV3D);
    INDArray[] grads = DenseLayerCase.backprop(dense, denseWeight, denseGradOut, backpropArgs);
    double v = y.getDouble(0, 0, 0, 0, 0) + grads[0].getDouble(0, 0, 0, 0, 0) + grads[1].getDouble(0, 0, 0, 0, 0);
    memory.record(0);
    y.close();
    for (INDArray g : grads) {
      g.close();
    }
    return v;
  }

  /** ND4J's dense conv3d over the whole grid. */
  @Benchmark
  public double denseForward(MemoryCounters memory) {
    INDArray y = Nd4j.cnn().conv3d(dense, denseWeight, DenseLayerCase.CONV3D);
    double v = y.getDouble(0, 0, 0, 0, 0);
    memory.record(0);
    y.close();
    return v;
  }
}
