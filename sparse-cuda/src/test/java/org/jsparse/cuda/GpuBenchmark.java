package org.jsparse.cuda;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.internal.CoordinatePacker;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.NeighbourQuery;
import org.jsparse.core.kmap.KernelMapKey;
import org.jsparse.core.kmap.MapKind;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The GPU figures of issue 10, run by {@code gpu-check.sh run} on the GPU machine: the 3x3x3
 * submanifold convolution (forward and input gradient by both {@link ConvolutionPath}s, weight
 * gradient) at C = 32 and 64 on a ~1M-site
 * spherical shell (about 20 pairs a site, like a skull surface) and on random sites at 0.5, 2, 10
 * and 30 % of a 128^3 grid (to set beside PyTorch's dense conv3d from {@code bench/dense_conv3d.py}),
 * our own GEMM kernel's rate, the device kernel-map build of 1M shell sites alone and through the manager. One JSON object a line into
 * {@code <out>/sparse.jsonl}; a table on stdout. Timings are medians of 10 synchronized runs after 3
 * warm-ups; kernel maps are built and copied to the device before timing.
 */
public final class GpuBenchmark {
  private GpuBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "sparse-cuda/target/gpu-results");
    Files.createDirectories(out);
    try (CudaBackend gpu = new CudaBackend(0);
        PrintWriter json = new PrintWriter(Files.newBufferedWriter(out.resolve("sparse.jsonl")))) {
      System.out.printf("%-28s %-14s %5s %9s %10s %9s %9s %9s %10s%n", "case", "path", "C", "sites", "pairs", "fwd ms",
          "bwd-in ms", "bwd-w ms", "fwd GF/s");
      gemmRate(gpu, json);
      deviceKernelMap(gpu, json, shell(1_000_000));
      for (int c : new int[] {32, 64}) {
        run(gpu, json, "shell", shell(1_000_000), c);
      }
      for (double occupancy : new double[] {0.005, 0.02, 0.10, 0.30}) {
        for (int c : new int[] {32, 64}) {
          run(gpu, json, "random 128^3 " + occupancy, random(128, occupancy), c);
        }
      }
    }
  }

  /** About {@code target} sites on a sphere shell (radius 180, thickness to match). */
  static Coordinates shell(int target) {
    double r = 180;
    double thickness = target / (4 * Math.PI * r * r);
    int extent = (int) (r + thickness + 2);
    java.util.List<int[]> rows = new java.util.ArrayList<>();
    for (int x = -extent; x <= extent; x++) {
      for (int y = -extent; y <= extent; y++) {
        for (int z = -extent; z <= extent; z++) {
          double d = Math.sqrt((double) x * x + (double) y * y + (double) z * z);
          if (d >= r && d < r + thickness) {
            rows.add(new int[] {0, x, y, z});
          }
        }
      }
    }
    return Coordinates.of(rows.toArray(new int[0][]));
  }

  /** Each voxel of an n^3 grid active with probability {@code p} (seeded). */
  static Coordinates random(int n, double p) {
    Random rnd = new Random(42);
    java.util.List<int[]> rows = new java.util.ArrayList<>();
    for (int x = 0; x < n; x++) {
      for (int y = 0; y < n; y++) {
        for (int z = 0; z < n; z++) {
          if (rnd.nextDouble() < p) {
            rows.add(new int[] {0, x, y, z});
          }
        }
      }
    }
    return Coordinates.of(rows.toArray(new int[0][]));
  }

  private interface Op {
    void run();
  }

  private static double medianMs(CudaBackend gpu, Op op) {
    for (int i = 0; i < 3; i++) {
      op.run();
    }
    gpu.synchronize();
    double[] t = new double[10];
    for (int i = 0; i < t.length; i++) {
      long start = System.nanoTime();
      op.run();
      gpu.synchronize();
      t[i] = (System.nanoTime() - start) / 1e6;
    }
    java.util.Arrays.sort(t);
    return (t[4] + t[5]) / 2;
  }

  private static float[] values(long n, Random rnd) {
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextFloat() - 0.5f;
    }
    return v;
  }

  private static void gemmRate(CudaBackend gpu, PrintWriter json) {
    int n = 4096;
    Random rnd = new Random(1);
    org.jsparse.core.memory.MemoryLedger ledger = new org.jsparse.core.memory.MemoryLedger(gpu.device());
    try (Buffer a = gpu.upload(ledger, MemoryCategory.WORKSPACE, "bench", values((long) n * n, rnd), n, n);
        Buffer b = gpu.upload(ledger, MemoryCategory.WORKSPACE, "bench", values((long) n * n, rnd), n, n);
        Buffer c = gpu.zeros(ledger, MemoryCategory.WORKSPACE, "bench", DataType.FLOAT, n, n)) {
      double ms = medianMs(gpu, () -> gpu.gemm(a, false, b, false, 0, c));
      double gflops = 2.0 * n * n * n / (ms * 1e6);
      System.out.printf(Locale.ROOT, "%-28s %-14s %5d %9s %10s %9.3f %9s %9s %10.1f%n", "own gemm 4096^2 fp32", "-", 0, "-", "-", ms,
          "-", "-", gflops);
      json.printf(Locale.ROOT, "{\"case\":\"own gemm fp32\",\"n\":%d,\"ms\":%.4f,\"gflops\":%.2f,\"device\":\"%s\"}%n", n, ms,
          gflops, gpu.device());
    }
  }

  /** The submanifold 3^3 map of {@code sites} built by the device builder alone (keys uploaded, pairs left there). */
  private static void deviceKernelMap(CudaBackend gpu, PrintWriter json, Coordinates sites) {
    CoordinatePacker packer = new CoordinatePacker(3);
    long[] keys = new long[sites.size()];
    for (int r = 0; r < keys.length; r++) {
      keys[r] = packer.pack(sites, r);
    }
    int[][] offsets = KernelRegion.cube(3, 3).offsets(TensorStride.uniform(3, 1));
    long[] deltas = new long[offsets.length];
    int[] axis = new int[offsets.length * 3];
    for (int k = 0; k < offsets.length; k++) {
      for (int a = 0; a < 3; a++) {
        deltas[k] += (long) offsets[k][a] << packer.shift(a);
        axis[k * 3 + a] = offsets[k][a];
      }
    }
    NeighbourQuery query = new NeighbourQuery(keys, keys, deltas, axis, 3, packer.axisBits());
    MemoryLedger ledger = new MemoryLedger("kernel map");
    double ms = medianMs(gpu, () -> gpu.kernelMaps().build(query, ledger).close());
    System.out.printf(Locale.ROOT, "%-28s %-14s %5s %9d %10s %9.3f  (device kernel map build, goal <= 5 ms)%n",
        "kernel map 3^3 shell", "-", "-", keys.length, "-", ms);
    json.printf(Locale.ROOT, "{\"case\":\"device kernel map 3^3 shell\",\"sites\":%d,\"buildMs\":%.4f,"
        + "\"ledgerPeakBytes\":%d}%n", keys.length, ms, ledger.peakTotal());
    json.flush();
  }

  private static void run(CudaBackend gpu, PrintWriter json, String name, Coordinates sites, int c) {
    try (CoordinateManager cm = new CoordinateManager(3, gpu)) {
      CoordinateMapKey in = cm.insert(sites, TensorStride.uniform(3, 1));
      long t0 = System.nanoTime();
      KernelMap map = cm.kernelMap(new KernelMapKey(in, in, KernelRegion.cube(3, 3), TensorStride.uniform(3, 1),
          MapKind.CONVOLUTION));
      double mapMs = (System.nanoTime() - t0) / 1e6;
      long pairs = expandedPairs(map);
      Random rnd = new Random(c);
      int n = sites.size();
      try (Buffer x = gpu.upload(cm.memory(), MemoryCategory.FEATURES, "bench", values((long) n * c, rnd), n, c);
          Buffer w = gpu.upload(cm.memory(), MemoryCategory.PARAMETERS, "bench", values(27L * c * c, rnd), 27L * c, c);
          Buffer y = gpu.zeros(cm.memory(), MemoryCategory.FEATURES, "bench", DataType.FLOAT, n, c);
          Buffer gin = gpu.zeros(cm.memory(), MemoryCategory.GRADIENTS, "bench", DataType.FLOAT, n, c);
          Buffer gw = gpu.zeros(cm.memory(), MemoryCategory.GRADIENTS, "bench", DataType.FLOAT, 27L * c, c)) {
        double bw = medianMs(gpu, () -> gpu.convolutionBackwardWeight(x, y, map, gw, cm.memory()));
        for (ConvolutionPath path : new ConvolutionPath[] {ConvolutionPath.GATHER_SCATTER, ConvolutionPath.IMPLICIT_GEMM}) {
          gpu.convolutionPath(path);
          double fwd = medianMs(gpu, () -> gpu.convolutionForward(x, w, map, y, cm.memory()));
          double bin = medianMs(gpu, () -> gpu.convolutionBackwardInput(y, w, map, gin, cm.memory()));
          double gflops = 2.0 * pairs * c * c / (fwd * 1e6);
          long peak = cm.memory().peakTotal();
          System.out.printf(Locale.ROOT, "%-28s %-14s %5d %9d %10d %9.3f %9.3f %9.3f %10.1f%n", name, path, c, n, pairs,
              fwd, bin, bw, gflops);
          json.printf(Locale.ROOT, "{\"case\":\"%s\",\"path\":\"%s\",\"c\":%d,\"sites\":%d,\"pairs\":%d,"
                  + "\"forwardMs\":%.4f,\"backwardInputMs\":%.4f,\"backwardWeightMs\":%.4f,\"forwardGflops\":%.2f,"
                  + "\"managerKernelMapMs\":%.1f,\"ledgerPeakBytes\":%d}%n", name, path, c, n, pairs, fwd, bin, bw, gflops,
              mapMs, peak);
          json.flush();
        }
        gpu.convolutionPath(ConvolutionPath.AUTO);
      }
    }
  }

  private static long expandedPairs(KernelMap map) {
    KernelMap full = map.expanded(null);
    try {
      return full.pairCount();
    } finally {
      if (full != map) {
        full.close();
      }
    }
  }
}
