package org.jsparse.benchmarks;

import java.util.concurrent.TimeUnit;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.KernelMapKey;
import org.jsparse.core.kmap.MapKind;
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
 * Coordinate hashing and kernel-map building against the number of sites (a spherical shell,
 * about 20 neighbours a site, like a skull surface): {@code insert} packs and hashes the sites
 * into a fresh manager (the table and its hash); {@code submanifold27} and {@code strided8} build
 * a cold kernel map (fresh manager per call, the insert and the strided output map are setup).
 * Ledger peaks come as auxiliary counters.
 *
 * <p>HOW TO RUN: {@code java -jar benchmarks/target/benchmarks.jar KernelMapScaling}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx8g"})
public class KernelMapScalingBenchmark {
  /** Sites of the shell. */
  @Param({"10000", "100000", "1000000"})
  public int sites;

  private Coordinates shell;
  private CoordinateManager cm;
  private CoordinateMapKey in;
  private KernelMapKey submanifold;
  private KernelMapKey strided;

  @Setup(Level.Trial)
  public void makeShell() {
    shell = Volumes.sphereShell(sites);
  }

  @Setup(Level.Invocation)
  public void freshManager() {
    cm = new CoordinateManager(3);
    in = cm.insert(shell, TensorStride.uniform(3, 1));
    submanifold = new KernelMapKey(in, in, KernelRegion.cube(3, 3), TensorStride.uniform(3, 1), MapKind.CONVOLUTION);
    CoordinateMapKey down = cm.stride(in, new int[] {2, 2, 2});
    strided = new KernelMapKey(in, down, KernelRegion.cube(3, 2), TensorStride.uniform(3, 2), MapKind.CONVOLUTION);
  }

  @TearDown(Level.Invocation)
  public void close() {
    cm.close();
  }

  /** Packs and hashes every site into a new coordinate map (of another manager, so nothing is cached). */
  @Benchmark
  public int insert(MemoryCounters memory) {
    try (CoordinateManager fresh = new CoordinateManager(3)) {
      CoordinateMapKey k = fresh.insert(shell, TensorStride.uniform(3, 1));
      memory.record(fresh.memory().peakTotal());
      return fresh.size(k);
    }
  }

  @Benchmark
  public KernelMap submanifold27(MemoryCounters memory) {
    cm.memory().resetPeaks();
    KernelMap m = cm.kernelMap(submanifold);
    memory.record(cm.memory().peakTotal());
    return m;
  }

  @Benchmark
  public KernelMap strided8(MemoryCounters memory) {
    cm.memory().resetPeaks();
    KernelMap m = cm.kernelMap(strided);
    memory.record(cm.memory().peakTotal());
    return m;
  }
}
