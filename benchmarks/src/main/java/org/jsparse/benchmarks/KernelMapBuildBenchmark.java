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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cold build of the 27-offset submanifold kernel map: a fresh manager per invocation (the
 * coordinate insert is setup, not measured), so no call is a cache hit. Input: the CT bone of two
 * batch items, about 951k sites.
 *
 * <p>HOW TO RUN: {@code java -jar benchmarks/target/benchmarks.jar KernelMapBuild}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgs = {"-Xmx8g"})
public class KernelMapBuildBenchmark {
  private Coordinates sites;
  private CoordinateManager cm;
  private KernelMapKey key;

  /** Loads the volume once. */
  @Setup(Level.Trial)
  public void load() {
    sites = Volumes.bone(2);
  }

  /** A fresh manager holding only the coordinates. */
  @Setup(Level.Invocation)
  public void freshManager() {
    cm = new CoordinateManager(3);
    CoordinateMapKey in = cm.insert(sites, TensorStride.uniform(3, 1));
    key = new KernelMapKey(in, in, KernelRegion.cube(3, 3), TensorStride.uniform(3, 1), MapKind.CONVOLUTION);
  }

  @TearDown(Level.Invocation)
  public void close() {
    cm.close();
  }

  /** The build itself; the map is returned so it cannot be eliminated. */
  @Benchmark
  public KernelMap submanifold27() {
    return cm.kernelMap(key);
  }
}
