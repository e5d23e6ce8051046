package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.KernelMapKey;
import org.jsparse.core.kmap.MapKind;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The CUDA backend's convolutions (both paths, forward and both gradients, FLOAT and DOUBLE, channel
 * counts from 3 to 96), its device copy of a kernel map, channel-wise convolution and pooling
 * against {@link HostReference}.
 */
@EnabledIf(value = "org.jsparse.cuda.GpuTestBase#gpuPresent", disabledReason = "no CUDA device here")
class CudaConvolutionTest extends GpuTestBase {
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
}
