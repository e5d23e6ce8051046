package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Scanner;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.KernelMapKey;
import org.jsparse.core.kmap.MapKind;
import org.jsparse.core.memory.MemoryLedger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The fused implicit-GEMM convolution (implicit_gemm.cu), compiled for the CPU with g++ and run with
 * a real thread per CUDA thread ({@code src/test/cpp/convolution_emulation.cpp}, the launch
 * sequence of {@link MapOps}), gives the CPU backend's forward pass and input gradient for
 * submanifold, hypercross, strided, transposed and generative maps, with channel counts that leave
 * partial row, column and depth tiles, in float and double, and when the rows are done in several
 * passes. Skips where g++ is missing; on a GPU, CudaBackendTest runs both paths through JCuda.
 */
class ConvolutionKernelsOnCpuTest {
  @TempDir static Path work;
  private static Path emulation;

  @BeforeAll
  static void compile() {
    emulation = KernelEmulation.compile(work, "convolution_emulation");
  }

  private static Path emulation() {
    Assumptions.assumeTrue(emulation != null, "g++ is not on the PATH: the CPU check of the CUDA kernels is skipped");
    return emulation;
  }

  record Geometry(String name, Coordinates coords, BiFunction<CoordinateManager, CoordinateMapKey, KernelMapKey> keyOf) {}

  static List<Geometry> geometries() {
    Coordinates c = KernelMapCases.sites(3, 8, 0, 0.3, 21);
    Coordinates s = KernelMapCases.sites(3, 8, -4, 0.3, 22);
    TensorStride two = TensorStride.uniform(3, 2);
    int[] s2 = {2, 2, 2};
    KernelRegion cube2 = KernelRegion.cube(3, 2);
    KernelRegion cube3 = KernelRegion.cube(3, 3);
    return List.of(
        new Geometry("submanifold 3^3", c, (cm, in) -> KernelMapCases.onItself(in, cube3)),
        new Geometry("hypercross 5", c, (cm, in) -> KernelMapCases.onItself(in,
            KernelRegion.hypercross(new int[] {5, 5, 5}, new int[] {1, 1, 1}))),
        new Geometry("strided 3", s, (cm, in) -> new KernelMapKey(in, cm.stride(in, s2), cube3, two, MapKind.CONVOLUTION)),
        new Geometry("transposed 2", s, (cm, in) -> new KernelMapKey(cm.stride(in, s2), in, cube2, two, MapKind.TRANSPOSED)),
        new Geometry("generative 3", s, (cm, in) -> {
          CoordinateMapKey coarse = cm.stride(in, s2);
          return new KernelMapKey(coarse, cm.generativeOutput(coarse, cube3, s2), cube3, two, MapKind.TRANSPOSED);
        }));
  }

  @Test
  void everyGeometryInBothDirectionsEqualsTheCpu() {
    emulation();
    for (Geometry g : geometries()) {
      try (CoordinateManager cm = new CoordinateManager(3)) {
        KernelMap map = cm.kernelMap(g.keyOf().apply(cm, cm.insert(g.coords(), TensorStride.uniform(3, 1))));
        KernelMap full = map.expanded(null);
        for (boolean forward : new boolean[] {true, false}) {
          // 19 -> 37: a partial depth stage and two column tiles; 16 -> 32: whole tiles, in float
          check(g.name(), full, DataType.DOUBLE, 19, 37, forward, Integer.MAX_VALUE);
          check(g.name(), full, DataType.FLOAT, 16, 32, forward, Integer.MAX_VALUE);
        }
        if (full != map) {
          full.close();
        }
      }
    }
  }

  @Test
  void passesOfRowsGiveTheWholeResult() {
    emulation();
    Geometry g = geometries().get(0);
    try (CoordinateManager cm = new CoordinateManager(3)) {
      KernelMap full = cm.kernelMap(g.keyOf().apply(cm, cm.insert(g.coords(), TensorStride.uniform(3, 1)))).expanded(null);
      assertTrue(full.outRows() > 2 * MapOps.IMPLICIT_GEMM_ROWS, "the case needs several passes of one tile");
      check(g.name() + " in passes", full, DataType.DOUBLE, 5, 3, true, MapOps.IMPLICIT_GEMM_ROWS);
      check(g.name() + " in passes", full, DataType.DOUBLE, 5, 3, false, MapOps.IMPLICIT_GEMM_ROWS);
    }
  }

  @Test
  void passesFitTheBudgetInWholeTiles() {
    int rows = MapOps.rowsPerPass(27, 1_000_000, MapOps.TABLE_BUDGET_BYTES);
    assertEquals(0, rows % MapOps.IMPLICIT_GEMM_ROWS, "whole tiles");
    assertTrue(4L * 27 * rows <= MapOps.TABLE_BUDGET_BYTES, "within the budget: " + rows);
    assertTrue(4L * 27 * (rows + MapOps.IMPLICIT_GEMM_ROWS) > MapOps.TABLE_BUDGET_BYTES, "as many tiles as fit: " + rows);
    assertEquals(100, MapOps.rowsPerPass(27, 100, MapOps.TABLE_BUDGET_BYTES), "a small output in one pass");
    assertEquals(MapOps.IMPLICIT_GEMM_ROWS, MapOps.rowsPerPass(27, 1_000_000, 16), "at least one tile, whatever the budget");
  }

  @Test
  void theJavaSideLaunchesTheKernelsTiles() throws IOException {
    Path file = Path.of("src/main/cuda/implicit_gemm.cu");
    Assumptions.assumeTrue(Files.exists(file), "the kernel sources are not here (a GPU bundle)");
    String source = Files.readString(file);
    assertEquals(MapOps.IMPLICIT_GEMM_ROWS, define(source, "IG_ROWS"));
    assertEquals(MapOps.IMPLICIT_GEMM_COLS, define(source, "IG_COLS"));
    assertEquals(MapOps.IMPLICIT_GEMM_THREADS, define(source, "IG_THREADS"));
    assertEquals(MapOps.IMPLICIT_GEMM_THREADS, define(source, "IG_ROWS") * define(source, "IG_COLS")
        / (define(source, "IG_ROW_TILE") * define(source, "IG_COL_TILE")), "a thread's register tile covers the block's tile");
  }

  @Test
  void autoTakesTheImplicitGemmForFullTables() {
    assertTrue(ConvolutionPath.AUTO.implicitGemm(27L * 1000 / 3, 27, 1000), "a submanifold map a third full");
    assertTrue(!ConvolutionPath.AUTO.implicitGemm(1000, 8, 1000), "a transposed map, one pair an output of 8 offsets");
    assertTrue(ConvolutionPath.IMPLICIT_GEMM.implicitGemm(1, 27, 1000));
    assertTrue(!ConvolutionPath.GATHER_SCATTER.implicitGemm(27_000, 27, 1000));
  }

  private static int define(String source, String name) {
    Matcher m = Pattern.compile("#define " + name + " (\\d+)").matcher(source);
    assertTrue(m.find(), name + " is defined in implicit_gemm.cu");
    return Integer.parseInt(m.group(1));
  }

  /** The emulated kernels against the CPU backend for one map, type, channel counts and direction. */
  private static void check(String name, KernelMap map, DataType type, int cin, int cout, boolean forward, int passRows) {
    int volume = map.volume();
    int srcRows = forward ? map.inRows() : map.outRows();
    int dstRows = forward ? map.outRows() : map.inRows();
    int srcCols = forward ? cin : cout;
    int dstCols = forward ? cout : cin;
    Random r = new Random(name.hashCode() * 31L + cin * 7L + (forward ? 1 : 0));
    boolean isDouble = type == DataType.DOUBLE;
    double[] src = TestValues.uniform(r, (long) srcRows * srcCols, type);
    double[] w = TestValues.uniform(r, (long) volume * cin * cout, type);
    double[] dst = TestValues.uniform(r, (long) dstRows * dstCols, type);
    Backend cpu = Backends.cpu();
    double[] expected;
    try (Buffer s = TestValues.upload(cpu, null, src, srcRows, srcCols, type);
        Buffer wb = TestValues.upload(cpu, null, w, (long) volume * cin, cout, type);
        Buffer d = TestValues.upload(cpu, null, dst, dstRows, dstCols, type)) {
      if (forward) {
        cpu.convolutionForward(s, wb, map, d, new MemoryLedger("cpu"));
      } else {
        cpu.convolutionBackwardInput(s, wb, map, d, new MemoryLedger("cpu"));
      }
      expected = cpu.downloadDoubles(d);
    }
    StringBuilder in = new StringBuilder();
    in.append(isDouble ? 1 : 0).append(' ').append(srcRows).append(' ').append(srcCols).append(' ').append(dstRows)
        .append(' ').append(dstCols).append(' ').append(volume).append(' ').append(Math.min(passRows, Math.max(1, dstRows)))
        .append(' ').append((long) cin * cout).append(' ').append(forward ? cout : 1).append(' ').append(forward ? 1 : cout)
        .append('\n');
    for (int k = 0; k <= volume; k++) {
      in.append(k == volume ? map.pairCount() : map.start(k)).append(' ');
    }
    for (int p = 0; p < map.pairCount(); p++) { // the destination side: what the table is indexed by
      in.append(forward ? map.outRow(p) : map.inRow(p)).append(' ');
    }
    for (int p = 0; p < map.pairCount(); p++) {
      in.append(forward ? map.inRow(p) : map.outRow(p)).append(' ');
    }
    for (double[] v : new double[][] {src, w, dst}) {
      for (double x : v) {
        in.append(x).append(' ');
      }
    }
    Scanner out = new Scanner(KernelEmulation.run(emulation, in.toString()));
    double tolerance = isDouble ? 1e-12 : 1e-5;
    for (int e = 0; e < expected.length; e++) {
      int i = e;
      double actual = Double.parseDouble(out.next());
      assertEquals(expected[i], actual, tolerance * (1 + Math.abs(expected[i])) * Math.sqrt(volume * srcCols),
          () -> name + (forward ? " forward " : " input gradient ") + type + " " + cin + "->" + cout + ": element " + i);
    }
  }
}
