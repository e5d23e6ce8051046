package org.jsparse.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMapKey;
import org.jsparse.core.kmap.MapKind;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the core benchmarks in one JMH run and prints the figures of docs/benchmarks.md as a
 * markdown table: kernel-map build time, and the submanifold convolution's effective GFLOP/s
 * ({@code 2 * pairs * Cin * Cout / time}) with its ratio to the square sgemm and to the
 * tall-skinny GEMM measured in the same run; and forward and backward on the bone beside
 * MinkowskiEngine's recorded figures.
 *
 * <p>HOW TO RUN: {@code java -cp benchmarks/target/benchmarks.jar org.jsparse.benchmarks.CoreFigures [out.md]}
 */
public final class CoreFigures {
  /**
   * MinkowskiEngine 0.5.4's CPU backend on the same bone, 3x3x3 submanifold, C -> C, float32,
   * forward and backward (input + weight) in ms, C = 16 / 32 / 64: measured once on this machine
   * kind (2 threads) and recorded in issue 11; MinkowskiEngine cannot be installed from Maven Central
   * or Debian, so the comparison is with those recorded figures, not a same-run measurement.
   */
  static final double[][] MINKOWSKI_BONE_MS = {{950, 1340}, {1580, 2500}, {2830, 4260}};
  /** The same for the MRI brain mask (1,737,193 sites) at C = 16: forward, backward ms. */
  static final double[] MINKOWSKI_BRAIN_16_MS = {3990, 7040};

  private CoreFigures() {}

  public static void main(String[] args) throws RunnerException, IOException {
    Options opts = new OptionsBuilder()
        .include(KernelMapBuildBenchmark.class.getSimpleName() + ".submanifold27$")
        .include(BlasPeakBenchmark.class.getSimpleName())
        .include(ConvolutionBenchmark.class.getSimpleName())
        .build();
    Collection<RunResult> results = new java.util.ArrayList<>(new Runner(opts).run());
    // the brain at C = 16 only, the one channel count MinkowskiEngine was measured at there
    results.addAll(new Runner(new OptionsBuilder()
        .include(ConvolutionBenchmark.class.getSimpleName() + ".submanifold(Forward|Backward)$")
        .param("volume", "brain").param("channels", "16").build()).run());
    double sgemmMs = score(results, "BlasPeakBenchmark.squareSgemm", null, null);
    double peak = 2.0 * Math.pow(BlasPeakBenchmark.N, 3) / (sgemmMs * 1e6);
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Sites from: %s. Square sgemm (2048^3, Nd4j.gemm): %.1f GFLOP/s.%n%n",
        Volumes.source(), peak));
    md.append("| kernel-map build, 27 offsets, cold | sites | ms | ms per million sites |\n|---|---|---|---|\n");
    for (String volume : new String[] {"bone2", "brain"}) {
      Coordinates sites = volume.equals("brain") ? Volumes.brain() : Volumes.bone(2);
      double ms = score(results, "KernelMapBuildBenchmark.submanifold27", volume, null);
      md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f |%n",
          volume.equals("brain") ? Volumes.brainSource() : "bone, 2 batch items", sites.size(), ms, ms * 1e6 / sites.size()));
    }
    md.append('\n');
    md.append("| volume | sites | pairs | C | forward ms | effective GFLOP/s | ratio to square sgemm | tall-skinny GEMM GFLOP/s | ratio to it |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (String volume : new String[] {"shell", "bone"}) {
      Coordinates sites = Volumes.sites(volume);
      long pairs = pairs(sites);
      for (int c : new int[] {16, 32, 64}) {
        double ms = score(results, "ConvolutionBenchmark.submanifoldForward", volume, c);
        double tallMs = score(results, "ConvolutionBenchmark.tallSkinnyGemm", volume, c);
        double eff = 2.0 * pairs * c * c / (ms * 1e6);
        double tall = 2.0 * sites.size() * c * c / (tallMs * 1e6);
        md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %.1f | %.2f | %.1f | %.2f |%n",
            volume, sites.size(), pairs, c, ms, eff, eff / peak, tall, eff / tall));
      }
    }
    md.append(String.format(Locale.ROOT, "%n| bone, C | forward ms | backward ms (input + weight) | "
        + "MinkowskiEngine 0.5.4 CPU forward / backward ms | ours ahead, forward / backward |%n|---|---|---|---|---|%n"));
    for (int i = 0; i < 3; i++) {
      int c = 16 << i;
      double fwd = score(results, "ConvolutionBenchmark.submanifoldForward", "bone", c);
      double bwd = score(results, "ConvolutionBenchmark.submanifoldBackward", "bone", c);
      md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.0f / %.0f | %.1fx / %.1fx |%n", c, fwd, bwd,
          MINKOWSKI_BONE_MS[i][0], MINKOWSKI_BONE_MS[i][1], MINKOWSKI_BONE_MS[i][0] / fwd, MINKOWSKI_BONE_MS[i][1] / bwd));
    }
    double brainFwd = score(results, "ConvolutionBenchmark.submanifoldForward", "brain", 16);
    double brainBwd = score(results, "ConvolutionBenchmark.submanifoldBackward", "brain", 16);
    md.append(String.format(Locale.ROOT, "| brain, 16 | %.1f | %.1f | %.0f / %.0f | %.1fx / %.1fx |%n", brainFwd, brainBwd,
        MINKOWSKI_BRAIN_16_MS[0], MINKOWSKI_BRAIN_16_MS[1], MINKOWSKI_BRAIN_16_MS[0] / brainFwd,
        MINKOWSKI_BRAIN_16_MS[1] / brainBwd));
    System.out.println();
    System.out.println(md);
    if (args.length > 0) {
      Files.writeString(Path.of(args[0]), md.toString());
    }
  }

  private static long pairs(Coordinates sites) {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      CoordinateMapKey in = cm.insert(sites, TensorStride.uniform(3, 1));
      return cm.kernelMap(new KernelMapKey(in, in, KernelRegion.cube(3, 3), TensorStride.uniform(3, 1),
          MapKind.CONVOLUTION)).pairCount();
    }
  }

  private static double score(Collection<RunResult> results, String benchmark, String volume, Integer channels) {
    for (RunResult r : results) {
      var params = r.getParams();
      if (!params.getBenchmark().endsWith(benchmark)) {
        continue;
      }
      if (volume != null && !volume.equals(params.getParam("volume"))) {
        continue;
      }
      if (channels != null && !String.valueOf(channels).equals(params.getParam("channels"))) {
        continue;
      }
      return r.getPrimaryResult().getScore();
    }
    throw new IllegalStateException("no result for " + benchmark + " " + volume + " " + channels);
  }
}
