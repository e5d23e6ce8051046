package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jsparse.core.backend.AdamStep;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.backend.PointwiseFunction;
import org.jsparse.core.backend.SgdStep;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.KernelMapKey;
import org.jsparse.core.kmap.MapKind;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Every method of the CUDA backend against {@link HostReference} (plain Java in double), in FLOAT
 * and DOUBLE, on kernel maps the library builds (a compact submanifold map, a strided one).
 * Skips, saying why, when no GPU is found. Uses no ND4J array, so it runs where ND4J's native
 * library is absent (the GPU machine: {@code sparse-cuda/gpu-check.sh}).
 */
@EnabledIf(value = "org.jsparse.cuda.CudaBackendTest#gpuPresent", disabledReason = "no CUDA device here")
class CudaBackendTest {
  private static Backend gpu;
  private static CoordinateManager cm;
  private static KernelMap submanifold;
  private static KernelMap strided;
  private static CoordinateMapKey inKey;
  private final MemoryLedger ledger = new MemoryLedger("test");

  /** True when the driver reports a device; otherwise says once why the GPU tests are skipped. */
  static boolean gpuPresent() {
    boolean present = CudaBackendProvider.GpuProbe.deviceCount() > 0;
    if (!present) {
      System.err.println("CudaBackendTest skipped: " + CudaBackendProvider.GpuProbe.whyNone());
    }
    return present;
  }

  @BeforeAll
  static void openGpu() {
    gpu = Backends.get("cuda", 0);
    cm = new CoordinateManager(3, gpu);
    Random rnd = new Random(7);
    List<int[]> rows = new ArrayList<>();
    java.util.Set<List<Integer>> seen = new java.util.HashSet<>();
    while (rows.size() < 3000) {
      int[] r = {rnd.nextInt(2), rnd.nextInt(24) - 12, rnd.nextInt(24) - 12, rnd.nextInt(24) - 12};
      if (seen.add(List.of(r[0], r[1], r[2], r[3]))) {
        rows.add(r);
      }
    }
    CoordinateMapKey in = cm.insert(Coordinates.of(rows.toArray(new int[0][])), TensorStride.uniform(3, 1));
    inKey = in;
    CoordinateMapKey down = cm.stride(in, new int[] {2, 2, 2});
    submanifold = cm.kernelMap(new KernelMapKey(in, in, KernelRegion.cube(3, 3), TensorStride.uniform(3, 1),
        MapKind.CONVOLUTION));
    strided = cm.kernelMap(new KernelMapKey(in, down, KernelRegion.cube(3, 2), TensorStride.uniform(3, 2),
        MapKind.CONVOLUTION));
  }

  @AfterAll
  static void closeGpu() {
    if (cm != null) {
      cm.close();
      gpu.close();
    }
  }

  private static double[] random(Random rnd, long n) {
    double[] v = new double[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextDouble() * 2 - 1;
    }
    return v;
  }

  private Buffer up(double[] v, long rows, long cols, DataType type) {
    return TestValues.upload(gpu, ledger, v, rows, cols, type);
  }

  private static double[] down(Buffer b) {
    return gpu.downloadDoubles(b);
  }

  /** FLOAT inputs are rounded to float before the reference sees them. */
  private static double[] rounded(double[] v, DataType type) {
    if (type == DataType.DOUBLE) {
      return v.clone();
    }
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = (float) v[i];
    }
    return r;
  }

  private static void close(double[] expected, Buffer actual, DataType type, String what) {
    double[] got = down(actual);
    assertEquals(expected.length, got.length, what + ": length");
    double tol = type == DataType.DOUBLE ? 1e-10 : 2e-4;
    for (int i = 0; i < got.length; i++) {
      double scale = Math.max(1, Math.abs(expected[i]));
      assertTrue(Math.abs(expected[i] - got[i]) <= tol * scale,
          what + " [" + i + "]: expected " + expected[i] + ", got " + got[i]);
    }
  }

  static Stream<Arguments> convolutionCases() {
    List<Arguments> cases = new ArrayList<>();
    for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (String map : new String[] {"submanifold", "strided"}) {
        for (int[] c : new int[][] {{3, 5}, {16, 16}, {19, 37}, {64, 96}}) {
          for (ConvolutionPath path : new ConvolutionPath[] {ConvolutionPath.GATHER_SCATTER, ConvolutionPath.IMPLICIT_GEMM}) {
            cases.add(Arguments.of(t, map, c[0], c[1], path));
          }
        }
      }
    }
    return cases.stream();
  }

  private static KernelMap map(String name) {
    return name.equals("submanifold") ? submanifold : strided;
  }

  @ParameterizedTest(name = "{0} {1} {2}->{3} {4}")
  @MethodSource("convolutionCases")
  void convolutionForwardAndBothGradients(DataType t, String mapName, int cin, int cout, ConvolutionPath path) {
    ((CudaBackend) gpu).convolutionPath(path);
    try {
      convolutionForwardAndBothGradients(t, map(mapName), cin, cout);
    } finally {
      ((CudaBackend) gpu).convolutionPath(ConvolutionPath.AUTO);
    }
  }

  private void convolutionForwardAndBothGradients(DataType t, KernelMap map, int cin, int cout) {
    Random rnd = new Random(cin * 31L + cout);
    int[][][] pairs = pairsOf(map);
    int k = map.volume();
    double[] x = rounded(random(rnd, (long) map.inRows() * cin), t);
    double[] w = rounded(random(rnd, (long) k * cin * cout), t);
    double[] g = rounded(random(rnd, (long) map.outRows() * cout), t);
    double[] y0 = rounded(random(rnd, (long) map.outRows() * cout), t);
    try (Buffer xb = up(x, map.inRows(), cin, t); Buffer wb = up(w, (long) k * cin, cout, t);
        Buffer gb = up(g, map.outRows(), cout, t); Buffer yb = up(y0, map.outRows(), cout, t);
        Buffer gin = gpu.zeros(ledger, MemoryCategory.GRADIENTS, "test", t, map.inRows(), cin);
        Buffer gw = gpu.zeros(ledger, MemoryCategory.GRADIENTS, "test", t, (long) k * cin, cout)) {
      gpu.convolutionForward(xb, wb, map, yb, ledger);
      double[] y = y0.clone();
      HostReference.convolution(pairs, x, cin, w, y, cout);
      close(y, yb, t, "forward (accumulating into what the output held)");
      gpu.scale(yb, 0, yb);
      gpu.convolutionForward(xb, wb, map, yb, ledger);
      double[] once = down(yb);
      gpu.scale(yb, 0, yb);
      gpu.convolutionForward(xb, wb, map, yb, ledger);
      assertArrayEquals(once, down(yb), 0, "the forward pass is the same, bit for bit, when run again");
      gpu.convolutionBackwardInput(gb, wb, map, gin, ledger);
      double[] expectedGin = new double[x.length];
      HostReference.convolutionBackwardInput(pairs, g, cout, w, expectedGin, cin);
      close(expectedGin, gin, t, "input gradient");
      gpu.convolutionBackwardWeight(xb, gb, map, gw, ledger);
      double[] expectedGw = new double[w.length];
      HostReference.convolutionBackwardWeight(pairs, x, cin, g, cout, expectedGw);
      close(expectedGw, gw, t, "weight gradient");
      double[] first = down(gw);
      gpu.scale(gw, 0, gw);
      gpu.convolutionBackwardWeight(xb, gb, map, gw, ledger);
      assertArrayEquals(first, down(gw), 0, "the weight gradient is the same, bit for bit, when run again");
    }
    assertEquals(0, ledger.current(MemoryCategory.WORKSPACE), "op workspaces are given back");
  }

  @Test
  void aKernelMapIsCopiedToTheDeviceOnceAndGivenBackWhenItIsDropped() {
    MemoryLedger own = new MemoryLedger(gpu.device());
    KernelMapKey key = new KernelMapKey(inKey, inKey, KernelRegion.cube(3, 5), TensorStride.uniform(3, 1),
        MapKind.CONVOLUTION);
    // a map given to the backend from outside (the manager's own maps are built on the device)
    KernelMap map = copyOf(cm.kernelMap(key));
    int rows = map.inRows();
    try (Buffer x = gpu.zeros(own, MemoryCategory.FEATURES, "test", DataType.FLOAT, rows, 2);
        Buffer w = gpu.zeros(own, MemoryCategory.PARAMETERS, "test", DataType.FLOAT, 125L * 2, 2);
        Buffer w27 = gpu.zeros(own, MemoryCategory.PARAMETERS, "test", DataType.FLOAT, 27L * 2, 2);
        Buffer y = gpu.zeros(own, MemoryCategory.FEATURES, "test", DataType.FLOAT, rows, 2)) {
      gpu.convolutionForward(x, w, map, y, own);
      long copy = own.current(MemoryCategory.KERNEL_MAPS);
      assertEquals(8L * expandedPairs(map), copy, "8 bytes a pair, every offset");
      gpu.convolutionForward(x, w, map, y, own);
      assertEquals(copy, own.current(MemoryCategory.KERNEL_MAPS), "the second op reuses the copy");
      map.close();
      gpu.convolutionForward(x, w27, submanifold, y, ledger);
      assertEquals(0, own.current(MemoryCategory.KERNEL_MAPS), "a dropped map's copy is given back at the next op");
    }
  }

  /** A map of the same pairs made from host arrays, which the backend has not seen. */
  private static KernelMap copyOf(KernelMap map) {
    int[][][] pairs = pairsOf(map);
    int[] start = new int[pairs.length + 1];
    for (int k = 0; k < pairs.length; k++) {
      start[k + 1] = start[k] + pairs[k][0].length;
    }
    int[] in = new int[start[pairs.length]];
    int[] out = new int[in.length];
    for (int k = 0; k < pairs.length; k++) {
      System.arraycopy(pairs[k][0], 0, in, start[k], pairs[k][0].length);
      System.arraycopy(pairs[k][1], 0, out, start[k], pairs[k][1].length);
    }
    return new KernelMap(start, in, out, map.inRows(), map.outRows());
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

  private static int[][][] pairsOf(KernelMap map) {
    KernelMap full = map.expanded(null);
    try {
      return HostReference.pairs(full);
    } finally {
      if (full != map) {
        full.close();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void channelwiseConvolution(DataType t) {
    Random rnd = new Random(3);
    int c = 24;
    int[][][] pairs = pairsOf(submanifold);
    int n = submanifold.inRows();
    double[] x = rounded(random(rnd, (long) n * c), t);
    double[] w = rounded(random(rnd, 27L * c), t);
    double[] g = rounded(random(rnd, (long) n * c), t);
    try (Buffer xb = up(x, n, c, t); Buffer wb = up(w, 27, c, t); Buffer gb = up(g, n, c, t);
        Buffer y = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, n, c);
        Buffer gin = gpu.zeros(ledger, MemoryCategory.GRADIENTS, "test", t, n, c);
        Buffer gw = gpu.zeros(ledger, MemoryCategory.GRADIENTS, "test", t, 27, c)) {
      gpu.channelwiseForward(xb, wb, submanifold, y, ledger);
      double[] ey = new double[n * c];
      HostReference.channelwise(pairs, x, w, ey, c, false);
      close(ey, y, t, "channel-wise forward");
      gpu.channelwiseBackwardInput(gb, wb, submanifold, gin, ledger);
      double[] egin = new double[n * c];
      HostReference.channelwise(pairs, g, w, egin, c, true);
      close(egin, gin, t, "channel-wise input gradient");
      gpu.channelwiseBackwardWeight(xb, gb, submanifold, gw, ledger);
      double[] egw = new double[27 * c];
      HostReference.channelwiseBackwardWeight(pairs, x, g, c, egw);
      close(egw, gw, t, "channel-wise weight gradient");
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void poolingMaxAndAverageWithTheirGradients(DataType t) {
    Random rnd = new Random(5);
    int c = 6;
    int[][][] pairs = pairsOf(strided);
    int in = strided.inRows();
    int out = strided.outRows();
    double[] x = rounded(random(rnd, (long) in * c), t);
    x[0] = x[c]; // a tie somewhere
    double[] g = rounded(random(rnd, (long) out * c), t);
    int[] counts = new int[out];
    for (int[][] offset : pairs) {
      for (int o : offset[1]) {
        counts[o]++;
      }
    }
    try (Buffer xb = up(x, in, c, t); Buffer gb = up(g, out, c, t);
        Buffer y = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, out, c);
        Buffer gin = gpu.zeros(ledger, MemoryCategory.GRADIENTS, "test", t, in, c);
        Buffer avg = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, out, c);
        Buffer avgGin = gpu.zeros(ledger, MemoryCategory.GRADIENTS, "test", t, in, c)) {
      int[] argmax = new int[out * c];
      gpu.poolMax(xb, strided, y, argmax);
      double[] ey = new double[out * c];
      int[] eArgmax = new int[out * c];
      java.util.Arrays.fill(eArgmax, -1);
      HostReference.poolMax(pairs, x, c, ey, eArgmax);
      close(ey, y, t, "max pooling");
      assertArrayEquals(eArgmax, argmax, "max pooling's winners, ties to the earlier pair");
      gpu.poolMaxBackward(gb, argmax, gin);
      double[] egin = new double[in * c];
      for (int i = 0; i < argmax.length; i++) {
        egin[argmax[i] * c + i % c] += g[i];
      }
      close(egin, gin, t, "max pooling gradient");
      gpu.poolSum(xb, strided, counts, avg);
      double[] eavg = new double[out * c];
      HostReference.poolSum(pairs, x, c, counts, eavg, false);
      close(eavg, avg, t, "average pooling");
      gpu.poolSumBackward(gb, strided, counts, avgGin);
      double[] eavgGin = new double[in * c];
      HostReference.poolSum(pairs, g, c, counts, eavgGin, true);
      close(eavgGin, avgGin, t, "average pooling gradient");
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void dropoutDrawsDropoutMasksBitsAndRunsInPlace(DataType t) {
    double[] a = rounded(random(new Random(4), 3001L * 5), t);
    double p = 0.3;
    long key = org.jsparse.core.backend.DropoutMask.key(42);
    double[] e = new double[a.length];
    int dropped = 0;
    for (int i = 0; i < a.length; i++) {
      boolean d = org.jsparse.core.backend.DropoutMask.dropped(key, i, p);
      dropped += d ? 1 : 0;
      e[i] = d ? 0 : t == DataType.FLOAT ? (float) (1 / (1 - p) * a[i]) : 1 / (1 - p) * a[i];
    }
    assertTrue(Math.abs(dropped / (double) a.length - p) < 0.02, "about p of the elements dropped: " + dropped);
    try (Buffer ab = up(a, 3001, 5, t); Buffer out = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, 3001, 5)) {
      gpu.dropout(ab, 42, p, out);
      assertArrayEquals(e, down(out), "the CPU's mask and scaling, bit for bit");
      gpu.dropout(ab, 42, p, ab);
      assertArrayEquals(e, down(ab), "in place");
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void rowsColumnsAndArithmetic(DataType t) {
    Random rnd = new Random(9);
    int rows = 1000;
    int cols = 7;
    double[] a = rounded(random(rnd, (long) rows * cols), t);
    double[] b = rounded(random(rnd, (long) rows * cols), t);
    double[] v = rounded(random(rnd, cols), t);
    int[] pick = new int[300];
    for (int i = 0; i < pick.length; i++) {
      pick[i] = rnd.nextInt(rows); // repeats, for the scatter
    }
    try (Buffer ab = up(a, rows, cols, t); Buffer bb = up(b, rows, cols, t); Buffer vb = up(v, 1, cols, t);
        Buffer out = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, rows, cols);
        Buffer gathered = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, pick.length, cols);
        Buffer wide = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, rows, 10)) {
      gpu.add(ab, bb, -0.5, out);
      double[] e = new double[a.length];
      for (int i = 0; i < e.length; i++) {
        e[i] = a[i] - 0.5 * b[i];
      }
      close(e, out, t, "add");
      gpu.multiply(ab, bb, out);
      for (int i = 0; i < e.length; i++) {
        e[i] = a[i] * b[i];
      }
      close(e, out, t, "multiply");
      gpu.scale(ab, 3, out);
      gpu.addRowVector(vb, out);
      for (int i = 0; i < e.length; i++) {
        e[i] = 3 * a[i] + v[i % cols];
      }
      close(e, out, t, "scale and add a row vector");
      gpu.gatherRows(ab, pick, gathered);
      double[] eg = new double[pick.length * cols];
      for (int r = 0; r < pick.length; r++) {
        System.arraycopy(a, pick[r] * cols, eg, r * cols, cols);
      }
      close(eg, gathered, t, "gather rows");
      gpu.scale(out, 0, out);
      gpu.scatterAddRows(gathered, pick, out, 2);
      double[] es = new double[a.length];
      for (int r = 0; r < pick.length; r++) {
        for (int j = 0; j < cols; j++) {
          es[pick[r] * cols + j] += 2 * eg[r * cols + j];
        }
      }
      close(es, out, t, "scatter-add rows (repeated rows)");
      double[] once = down(out);
      gpu.scale(out, 0, out);
      gpu.scatterAddRows(gathered, pick, out, 2);
      assertArrayEquals(once, down(out), 0, "scatter-add is deterministic: the same bits when run again");
      gpu.copyColumns(ab, 0, wide, 3, cols);
      double[] ew = new double[rows * 10];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(a, r * cols, ew, r * 10 + 3, cols);
      }
      close(ew, wide, t, "copy columns");
      double[] sums = new double[cols];
      gpu.columnSums(ab, sums);
      double[] es2 = new double[cols];
      for (int i = 0; i < a.length; i++) {
        es2[i % cols] += a[i];
      }
      assertArrayEquals(es2, sums, 1e-9, "column sums");
      assertEquals(-1, gpu.firstNonFiniteRow(ab));
      double[] withNan = a.clone();
      withNan[41 * cols + 2] = Double.NaN;
      withNan[700 * cols] = Double.POSITIVE_INFINITY;
      try (Buffer nb = up(withNan, rows, cols, t)) {
        assertEquals(41, gpu.firstNonFiniteRow(nb));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void everyActivationAndItsDerivative(DataType t) {
    Random rnd = new Random(11);
    int n = 5000;
    double[] x = rounded(random(rnd, n), t);
    for (int i = 0; i < n; i++) {
      x[i] *= 6;
    }
    x = rounded(x, t);
    double[] g = rounded(random(rnd, n), t);
    for (PointwiseFunction.Kind kind : PointwiseFunction.Kind.values()) {
      PointwiseFunction f = PointwiseFunction.of(kind);
      try (Buffer xb = up(x, n, 1, t); Buffer gb = up(g, n, 1, t);
          Buffer y = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, n, 1);
          Buffer gin = gpu.zeros(ledger, MemoryCategory.GRADIENTS, "test", t, n, 1)) {
        gpu.pointwise(f, xb, y);
        double[] ey = new double[n];
        double[] eAtInput = new double[n];
        for (int i = 0; i < n; i++) {
          ey[i] = f.value(x[i]);
          eAtInput[i] = g[i] * f.derivativeAtInput(x[i]);
        }
        close(ey, y, t, kind + " forward");
        gpu.pointwiseBackward(f, gb, xb, false, gin);
        close(eAtInput, gin, t, kind + " derivative from the input");
        if (f.derivativeFromOutput()) {
          double[] yv = down(y);
          double[] eAtOutput = new double[n];
          for (int i = 0; i < n; i++) {
            eAtOutput[i] = g[i] * f.derivativeAtOutput(yv[i]);
          }
          gpu.pointwiseBackward(f, gb, y, true, gin);
          close(eAtOutput, gin, t, kind + " derivative from the output");
        } else {
          assertThrows(IllegalStateException.class, () -> gpu.pointwiseBackward(f, gb, y, true, gin));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void gemmInEveryTransposeCombination(DataType t) {
    Random rnd = new Random(13);
    int m = 37;
    int n = 29;
    int k = 45;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        double[] a = rounded(random(rnd, (long) m * k), t);
        double[] b = rounded(random(rnd, (long) k * n), t);
        double[] c = rounded(random(rnd, (long) m * n), t);
        try (Buffer ab = up(a, ta ? k : m, ta ? m : k, t); Buffer bb = up(b, tb ? n : k, tb ? k : n, t);
            Buffer cb = up(c, m, n, t)) {
          gpu.gemm(ab, ta, bb, tb, 0.5, cb);
          double[] e = c.clone();
          HostReference.gemm(a, ta ? m : k, ta, b, tb ? k : n, tb, 0.5, e, m, n, k);
          close(e, cb, t, "gemm ta=" + ta + " tb=" + tb);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void groupedNormalizationForwardAndBackward(DataType t) {
    Random rnd = new Random(17);
    int rows = 900;
    int c = 5;
    int groups = 3;
    int[] group = new int[rows];
    for (int r = 0; r < rows; r++) {
      group[r] = rnd.nextInt(groups);
    }
    double[] x = rounded(random(rnd, (long) rows * c), t);
    double[] g = rounded(random(rnd, (long) rows * c), t);
    double[] gamma = random(rnd, c);
    double[] beta = random(rnd, c);
    double[] mean = new double[groups * c];
    double[] var = new double[groups * c];
    int[] count = new int[groups];
    try (Buffer xb = up(x, rows, c, t); Buffer gb = up(g, rows, c, t);
        Buffer y = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, rows, c);
        Buffer gin = gpu.zeros(ledger, MemoryCategory.GRADIENTS, "test", t, rows, c)) {
      gpu.groupMoments(xb, group, groups, mean, var, count);
      double[] em = new double[groups * c];
      double[] ev = new double[groups * c];
      int[] ec = new int[groups];
      for (int r = 0; r < rows; r++) {
        ec[group[r]]++;
        for (int ch = 0; ch < c; ch++) {
          em[group[r] * c + ch] += x[r * c + ch];
        }
      }
      for (int i = 0; i < em.length; i++) {
        em[i] /= ec[i / c];
      }
      for (int r = 0; r < rows; r++) {
        for (int ch = 0; ch < c; ch++) {
          double d = x[r * c + ch] - em[group[r] * c + ch];
          ev[group[r] * c + ch] += d * d;
        }
      }
      for (int i = 0; i < ev.length; i++) {
        ev[i] /= ec[i / c];
      }
      assertArrayEquals(ec, count);
      assertArrayEquals(em, mean, 1e-9, "group means");
      assertArrayEquals(ev, var, 1e-9, "group variances");
      double[] invStd = new double[groups * c];
      for (int i = 0; i < invStd.length; i++) {
        invStd[i] = 1 / Math.sqrt(var[i] + 1e-5);
      }
      gpu.normalize(xb, group, mean, invStd, gamma, beta, y);
      double[] ey = new double[rows * c];
      double[] xhat = new double[rows * c];
      for (int r = 0; r < rows; r++) {
        for (int ch = 0; ch < c; ch++) {
          int s = group[r] * c + ch;
          xhat[r * c + ch] = (x[r * c + ch] - mean[s]) * invStd[s];
          ey[r * c + ch] = xhat[r * c + ch] * gamma[ch] + beta[ch];
        }
      }
      close(ey, y, t, "normalize");
      double[] dGamma = new double[c];
      double[] dBeta = new double[c];
      gpu.normalizeBackward(gb, xb, group, groups, mean, invStd, gamma, count, gin, dGamma, dBeta);
      double[] meanD = new double[groups * c];
      double[] meanDx = new double[groups * c];
      double[] edGamma = new double[c];
      double[] edBeta = new double[c];
      for (int r = 0; r < rows; r++) {
        for (int ch = 0; ch < c; ch++) {
          int s = group[r] * c + ch;
          double go = g[r * c + ch];
          edGamma[ch] += go * xhat[r * c + ch];
          edBeta[ch] += go;
          meanD[s] += go * gamma[ch] / count[group[r]];
          meanDx[s] += go * gamma[ch] * xhat[r * c + ch] / count[group[r]];
        }
      }
      double[] egin = new double[rows * c];
      for (int r = 0; r < rows; r++) {
        for (int ch = 0; ch < c; ch++) {
          int s = group[r] * c + ch;
          egin[r * c + ch] = invStd[s] * (g[r * c + ch] * gamma[ch] - meanD[s] - xhat[r * c + ch] * meanDx[s]);
        }
      }
      close(egin, gin, t, "normalize backward through the batch statistics");
      assertArrayEquals(edGamma, dGamma, 1e-8, "dGamma");
      assertArrayEquals(edBeta, dBeta, 1e-8, "dBeta");
      gpu.normalizeBackward(gb, xb, null, 1, new double[c], new double[] {1, 2, 3, 4, 5}, null, null, gin, null, null);
      double[] running = new double[rows * c];
      for (int i = 0; i < running.length; i++) {
        running[i] = g[i] * (1 + i % c);
      }
      close(running, gin, t, "normalize backward with running statistics, one group");
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void optimizerStepsFollowTheScalarRules(DataType t) {
    Random rnd = new Random(19);
    int n = 777;
    double[] p = rounded(random(rnd, n), t);
    double[] g = rounded(random(rnd, n), t);
    for (boolean amsgrad : new boolean[] {false, true}) {
      for (boolean decoupled : new boolean[] {false, true}) {
        AdamStep s = new AdamStep(1e-2, 0.9, 0.999, 1e-8, 0.01, decoupled, 3);
        double[] m0 = rounded(random(rnd, n), t);
        double[] v0 = rounded(random(rnd, n), t);
        for (int i = 0; i < n; i++) {
          v0[i] = Math.abs(v0[i]);
        }
        try (Buffer pb = up(p, n, 1, t); Buffer gb = up(g, n, 1, t); Buffer mb = up(m0, n, 1, t);
            Buffer vb = up(v0, n, 1, t); Buffer vmax = amsgrad ? up(v0, n, 1, t) : null) {
          gpu.adamStep(pb, gb, mb, vb, vmax, s);
          double[] ep = new double[n];
          for (int i = 0; i < n; i++) {
            double pi = p[i] * (decoupled ? 1 - s.learningRate() * s.weightDecay() : 1);
            double gi = g[i] + (decoupled ? 0 : s.weightDecay()) * pi;
            double mi = 0.9 * m0[i] + 0.1 * gi;
            double vi = 0.999 * v0[i] + 0.001 * gi * gi;
            double second = amsgrad ? Math.max(v0[i], vi) : vi;
            ep[i] = pi - s.learningRate() / s.firstMomentCorrection() * mi
                / (Math.sqrt(second / s.secondMomentCorrection()) + s.eps());
          }
          close(ep, pb, t, "adam amsgrad=" + amsgrad + " decoupled=" + decoupled);
        }
      }
    }
    for (boolean nesterov : new boolean[] {false, true}) {
      SgdStep s = new SgdStep(0.1, 0.9, nesterov, 0.01, false);
      double[] v0 = rounded(random(rnd, n), t);
      try (Buffer pb = up(p, n, 1, t); Buffer gb = up(g, n, 1, t); Buffer vb = up(v0, n, 1, t)) {
        gpu.sgdStep(pb, gb, vb, s);
        double[] ep = new double[n];
        for (int i = 0; i < n; i++) {
          double gi = g[i] + 0.01 * p[i];
          double vi = 0.9 * v0[i] + gi;
          ep[i] = p[i] - 0.1 * (nesterov ? gi + 0.9 * vi : vi);
        }
        close(ep, pb, t, "sgd nesterov=" + nesterov);
      }
    }
  }

  @Test
  void buffersAreCountedInTheLedgerWithTheDeviceNameAndOutOfMemorySaysHowMuch() {
    MemoryLedger own = new MemoryLedger(gpu.device());
    assertTrue(gpu.device().startsWith("cuda:0 ("), gpu.device());
    Buffer b = gpu.zeros(own, MemoryCategory.FEATURES, "test", DataType.FLOAT, 1000, 16);
    assertEquals(64_000, own.current(MemoryCategory.FEATURES));
    assertArrayEquals(new double[16_000], down(b), 0, "zeros are zeros");
    b.close();
    assertEquals(0, own.currentTotal());
    DeviceMemoryException e = assertThrows(DeviceMemoryException.class,
        () -> gpu.zeros(own, MemoryCategory.FEATURES, "too big", DataType.DOUBLE, 1L << 36, 1));
    assertTrue(e.getMessage().contains("asked for") && e.getMessage().contains("free"), e.getMessage());
    assertEquals(0, own.currentTotal(), "a refused allocation counts nothing");
    try (Buffer after = gpu.zeros(own, MemoryCategory.FEATURES, "test", DataType.FLOAT, 10, 10)) {
      assertEquals(100, down(after).length, "the backend works after an out-of-memory refusal");
    }
  }
}
