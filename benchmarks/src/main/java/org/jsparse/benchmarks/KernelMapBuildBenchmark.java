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
 * Cold builds of kernel maps: the 27-offset submanifold map (packed keys, and wide), and the
 * 8-offset stride-2 map; a fresh manager per invocation (the coordinate insert and the strided
 * output map are setup, not measured), so no call is a cache hit. Inputs: the CT bone of two
 * batch items (951,518 sites) and the MRI brain mask (1,737,193 sites).
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
  /** The CT bone of two batch items (951,518 sites) or DATA.md's MRI brain mask (1,737,193 sites). */
  @Param({"bone2", "brain"})
  public String volume;

  private Coordinates sites;
  private CoordinateManager cm;
  private KernelMapKey key;
  private KernelMapKey stridedKey;

  /** Loads the volume once. */
  @Setup(Level.Trial)
  public void load() {
    sites = volume.equals("brain") ? Volumes.brain() : Volumes.bone(2);
  }

  /** A fresh manager holding only the coordinates. */
  @Setup(Level.Invocation)
  public void freshManager() {
    cm = new CoordinateManager(3);
    CoordinateMapKey in = cm.insert(sites, TensorStride.uniform(3, 1));
    key = new KernelMapKey(in, in, KernelRegion.cube(3, 3), TensorStride.uniform(3, 1), MapKind.CONVOLUTION);
    CoordinateMapKey down = cm.stride(in, new int[] {2, 2, 2});
    stridedKey = new KernelMapKey(in, down, KernelRegion.cube(3, 2), TensorStride.uniform(3, 2), MapKind.CONVOLUTION);
  }

  @TearDown(Level.Invocation)
  public void close() {
    cm.close();
  }

  /** A fresh manager with wide keys holding only the coordinates (for {@link #submanifold27Wide} alone). */
  @State(Scope.Benchmark)
  public static class Wide {
    CoordinateManager cm;
    KernelMapKey key;

    @Setup(Level.Invocation)
    public void freshManager(KernelMapBuildBenchmark b) {
      cm = new CoordinateManager(3).useWideKeys();
      CoordinateMapKey in = cm.insert(b.sites, TensorStride.uniform(3, 1));
      key = new KernelMapKey(in, in, KernelRegion.cube(3, 3), TensorStride.uniform(3, 1), MapKind.CONVOLUTION);
    }

    @TearDown(Level.Invocation)
    public void close() {
      cm.close();
    }
  }

  /** The build itself; the map is returned so it cannot be eliminated. */
  @Benchmark
  public KernelMap submanifold27() {
    return cm.kernelMap(key);
  }

  /** The 8-offset stride-2 map of the first downsampling, built from hash lookups (the strided map is setup). */
  @Benchmark
  public KernelMap strided8() {
    return cm.kernelMap(stridedKey);
  }

  /** {@link #submanifold27} on a manager with wide keys (1+D ints a row, hash lookups instead of sorted merges). */
  @Benchmark
  public KernelMap submanifold27Wide(Wide wide) {
    return wide.cm.kernelMap(wide.key);
  }
}
