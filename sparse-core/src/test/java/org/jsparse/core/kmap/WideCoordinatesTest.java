package org.jsparse.core.kmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jsparse.core.convert.Quantizer;
import org.jsparse.core.convert.Reduction;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.internal.CoordinatePacker;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.core.ops.SparseConvolution;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.core.testing.DenseReference;
import org.jsparse.core.testing.RandomSparse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Coordinates over the whole int32 range: a manager widens its keys when rows do not pack, and
 * every geometry then gives what the packed path gives on the same rows (bit for bit) and on the
 * rows moved far away (translation: the same features at the moved coordinates), what a dense
 * convolution gives at far coordinates, and refuses only what leaves int32.
 */
class WideCoordinatesTest {
  /** A shift far beyond the packed range (2^17 at D=3), a multiple of every stride used here. */
  private static final int FAR = 3 << 28;
  private static final int FAR_BATCH = 100_000;
  private static final TensorStride[] T = new TensorStride[5];

  static Stream<Arguments> geometries() {
    List<Arguments> cases = new ArrayList<>();
    for (int d = 1; d <= 4; d++) {
      for (int k : new int[] {2, 3}) {
        for (int s : new int[] {1, 2}) {
          cases.add(Arguments.of(d, k, s, 1 + (d + k + s) % 2, d % 2 == 0 ? 2 : 1));
        }
      }
    }
    return cases.stream();
  }

  private static int[] filled(int d, int v) {
    int[] a = new int[d];
    java.util.Arrays.fill(a, v);
    return a;
  }

  private static Coordinates shifted(Coordinates c, int batchShift, int shift) {
    int[] flat = c.toFlatArray();
    int w = c.dimension() + 1;
    for (int i = 0; i < flat.length; i++) {
      flat[i] += i % w == 0 ? batchShift : shift;
    }
    return Coordinates.fromFlat(c.dimension(), flat);
  }

  /** Strided (submanifold at stride 1), transposed back onto the input, and generative outputs of one input. */
  private static List<SparseTensor> outputs(CoordinateManager cm, Coordinates coords, int d, int k, int s, int dil,
      int t, INDArray feats, INDArray w, INDArray wT, INDArray wG) {
    SparseTensor x = SparseTensor.create(cm, coords, TensorStride.uniform(d, t * s), feats);
    KernelRegion region = KernelRegion.hypercube(filled(d, k), filled(d, dil));
    SparseTensor down = SparseConvolution.forward(x, w, null, ConvolutionSpec.strided(region, filled(d, s)));
    SparseTensor sub = SparseConvolution.forward(x, w, null, ConvolutionSpec.submanifold(region));
    SparseTensor up = SparseConvolution.forward(down, wT, null, ConvolutionSpec.transposed(region, filled(d, s)));
    SparseTensor gen = SparseConvolution.forward(x, wG, null, ConvolutionSpec.generative(region, filled(d, s)));
    return List.of(down, sub, up, gen);
  }

  @ParameterizedTest(name = "D={0} K={1} stride={2} dilation={3} t={4}")
  @MethodSource("geometries")
  void everyGeometryIsTheSameWideAsPackedAndTranslatesFarAway(int d, int k, int s, int dil, int t) {
    Random rnd = new Random(97L * d + 13L * k + s);
    int tIn = t * s;
    Coordinates coords = RandomSparse.coordinates(rnd, 2, d, new int[] {0, 12, 6, 4, 3}[d], -2 * tIn, tIn, 0.4);
    int volume = (int) Math.pow(k, d);
    INDArray feats = RandomSparse.uniform(rnd, DataType.DOUBLE, coords.size(), 3);
    INDArray w = RandomSparse.uniform(rnd, DataType.DOUBLE, volume, 3, 3);
    INDArray wT = RandomSparse.uniform(rnd, DataType.DOUBLE, volume, 3, 2);
    INDArray wG = RandomSparse.uniform(rnd, DataType.DOUBLE, volume, 3, 2);
    try (CoordinateManager packed = new CoordinateManager(d);
        CoordinateManager wide = new CoordinateManager(d).useWideKeys();
        CoordinateManager far = new CoordinateManager(d)) {
      List<SparseTensor> p = outputs(packed, coords, d, k, s, dil, t, feats, w, wT, wG);
      List<SparseTensor> q = outputs(wide, coords, d, k, s, dil, t, feats, w, wT, wG);
      Coordinates moved = shifted(coords, FAR_BATCH, FAR);
      if (d == 1) {
        far.useWideKeys(); // D=1 packs every int32 coordinate: only a forced manager is wide
      }
      List<SparseTensor> f = outputs(far, moved, d, k, s, dil, t, feats, w, wT, wG);
      assertFalse(packed.wideKeys());
      assertTrue(wide.wideKeys() && far.wideKeys(), "rows beyond the packed range widen the manager");
      String[] names = {"strided", "submanifold", "transposed", "generative"};
      for (int i = 0; i < p.size(); i++) {
        assertEquals(p.get(i).coordinates(), q.get(i).coordinates(), names[i] + ": same rows in the same order");
        assertEquals(p.get(i).features(), q.get(i).features(), names[i] + ": same features, bit for bit");
        assertEquals(shifted(p.get(i).coordinates(), FAR_BATCH, FAR), f.get(i).coordinates(), names[i] + " far away");
        assertEquals(p.get(i).features(), f.get(i).features(), names[i] + " far away: same features");
      }
      assertTrue(p.get(0).features().norm2Number().doubleValue() > 0, "non-trivial output");
    }
  }

  @Test
  void pruningAndUnionsAreTheSameWideAsPacked() {
    Random rnd = new Random(11);
    Coordinates a = RandomSparse.coordinates(rnd, 2, 3, 6, -3, 1, 0.3);
    Coordinates b = RandomSparse.coordinates(rnd, 2, 3, 6, -1, 1, 0.3);
    boolean[] keep = new boolean[a.size()];
    for (int r = 0; r < keep.length; r++) {
      keep[r] = rnd.nextBoolean();
    }
    List<Object> results = new ArrayList<>();
    for (boolean wideKeys : new boolean[] {false, true}) {
      try (CoordinateManager cm = new CoordinateManager(3)) {
        if (wideKeys) {
          cm.useWideKeys();
        }
        CoordinateMapKey ka = cm.insert(a, TensorStride.uniform(3, 1));
        CoordinateMapKey kb = cm.insert(b, TensorStride.uniform(3, 1));
        RowSelection pruned = cm.prune(ka, keep);
        Union union = cm.union(List.of(ka, kb));
        Union intoFirst = cm.union(List.of(ka, pruned.key()));
        assertEquals(ka, intoFirst.key(), "a union with a subset of the first map is the first map");
        results.add(List.of(cm.coordinates(pruned.key()), java.util.Arrays.toString(pruned.sourceRows()),
            cm.coordinates(union.key()), java.util.Arrays.deepToString(union.rowMaps()),
            java.util.Arrays.deepToString(intoFirst.rowMaps()), cm.rowOf(union.key(), b.row(3))));
        assertEquals(wideKeys, cm.wideKeys());
      }
    }
    assertEquals(results.get(0), results.get(1));
  }

  @Test
  void farCoordinatesMatchADenseConvolution() {
    Random rnd = new Random(5);
    Coordinates coords = shifted(RandomSparse.coordinates(rnd, 2, 3, 6, -4, 2, 0.3), 0, -FAR);
    try (CoordinateManager cm = new CoordinateManager(3)) {
      INDArray feats = RandomSparse.uniform(rnd, DataType.DOUBLE, coords.size(), 2);
      SparseTensor x = SparseTensor.create(cm, coords, TensorStride.uniform(3, 2), feats);
      INDArray w = RandomSparse.uniform(rnd, DataType.DOUBLE, 27, 2, 3);
      SparseTensor y = SparseConvolution.forward(x, w, null, ConvolutionSpec.strided(KernelRegion.cube(3, 3), 2, 2, 2));
      int[][] steps = new int[27][];
      for (int i = 0; i < 27; i++) {
        steps[i] = new int[] {i % 3 - 1, (i / 3) % 3 - 1, i / 9 - 1};
      }
      double[][] ref = DenseReference.denseConv(coords, DenseReference.matrix(feats), filled(3, 2), filled(3, 2),
          filled(3, 1), steps, DenseReference.weight(w), y.coordinates());
      double[][] got = DenseReference.matrix(y.features());
      assertTrue(cm.wideKeys());
      for (int r = 0; r < ref.length; r++) {
        assertArrayEquals(ref[r], got[r], 1e-9, "row " + r);
      }
    }
  }

  @Test
  void theExtremesOfInt32AreSitesLikeAnyOther() {
    int max = Integer.MAX_VALUE;
    int min = Integer.MIN_VALUE;
    for (int d = 2; d <= 4; d++) {
      try (CoordinateManager cm = new CoordinateManager(d)) {
        int[] a = new int[d + 1];
        int[] b = new int[d + 1];
        int[] c = new int[d + 1];
        java.util.Arrays.fill(a, 1, d + 1, max);
        java.util.Arrays.fill(b, 1, d + 1, max);
        b[d] = max - 1;
        java.util.Arrays.fill(c, 1, d + 1, min);
        c[0] = Integer.MAX_VALUE; // the largest batch index
        Coordinates rows = Coordinates.of(a, b, c);
        SparseTensor x = SparseTensor.create(cm, rows, TensorStride.uniform(d, 1),
            org.nd4j.linalg.factory.Nd4j.create(new double[][] {{1}, {10}, {100}}));
        assertTrue(cm.wideKeys());
        assertEquals(rows, x.coordinates());
        assertEquals(2, cm.rowOf(x.key(), c));
        assertEquals(-1, cm.rowOf(x.key(), new int[d + 1]));
        // a 3^D sum: each corner site sees itself and its in-range neighbour, nothing beyond int32
        INDArray w = org.nd4j.linalg.factory.Nd4j.ones(DataType.DOUBLE, (long) Math.pow(3, d), 1, 1);
        SparseTensor y = SparseConvolution.forward(x, w, null, ConvolutionSpec.submanifold(KernelRegion.cube(d, 3)));
        assertArrayEquals(new double[] {11, 11, 100}, y.features().data().asDouble(), 0);
      }
    }
  }

  @Test
  void onlyWhatLeavesInt32IsRefusedAndARefusalLeavesNothing() {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor edge = SparseTensor.create(cm, Coordinates.of(new int[] {0, Integer.MIN_VALUE, 0, 0}),
          TensorStride.uniform(3, 1), org.nd4j.linalg.factory.Nd4j.ones(DataType.DOUBLE, 1, 1));
      long bytes = cm.memory().current(MemoryCategory.COORDINATES);
      int maps = cm.mapKeys().size();
      IllegalArgumentException floor = assertThrows(IllegalArgumentException.class,
          () -> cm.stride(edge.key(), new int[] {3, 3, 3}));
      assertTrue(floor.getMessage().contains("[0, -2147483648, 0, 0] floored to tensor stride"), floor.getMessage());
      assertTrue(floor.getMessage().contains("int32"), floor.getMessage());
      IllegalArgumentException generated = assertThrows(IllegalArgumentException.class,
          () -> cm.generativeOutput(edge.key(), KernelRegion.cube(3, 3), new int[] {1, 1, 1}));
      assertTrue(generated.getMessage().contains("moved by offset [-1, -1, -1]"), generated.getMessage());
      assertEquals(bytes, cm.memory().current(MemoryCategory.COORDINATES));
      assertEquals(maps, cm.mapKeys().size());
      IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
          () -> cm.insert(Coordinates.of(new int[] {-1, 5, 5, 5}), TensorStride.uniform(3, 1)));
      assertTrue(batch.getMessage().contains("negative"), batch.getMessage());
      IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
          () -> cm.insert(Coordinates.of(new int[] {0, FAR, 0, 0}, new int[] {0, FAR, 0, 0}), TensorStride.uniform(3, 1)));
      assertTrue(duplicate.getMessage().contains("duplicate coordinate"), duplicate.getMessage());
      assertEquals(bytes, cm.memory().current(MemoryCategory.COORDINATES));
    }
  }

  @Test
  void aPackedManagerWidensMidwayAndItsEarlierMapsAndKernelMapsStayValid() {
    Random rnd = new Random(3);
    Coordinates near = RandomSparse.coordinates(rnd, 1, 3, 8, -4, 1, 0.3);
    try (CoordinateManager cm = new CoordinateManager(3)) {
      INDArray feats = RandomSparse.uniform(rnd, DataType.DOUBLE, near.size(), 2);
      INDArray w = RandomSparse.uniform(rnd, DataType.DOUBLE, 27, 2, 2);
      SparseTensor x = SparseTensor.create(cm, near, TensorStride.uniform(3, 1), feats);
      ConvolutionSpec sub = ConvolutionSpec.submanifold(KernelRegion.cube(3, 3));
      INDArray before = SparseConvolution.forward(x, w, null, sub).features();
      assertFalse(cm.wideKeys());
      int packedRowBytes = 8;
      long packedTable = (long) packedRowBytes * near.size();

      cm.insert(Coordinates.of(new int[] {0, FAR, 0, 0}), TensorStride.uniform(3, 1));
      assertTrue(cm.wideKeys());
      assertEquals(near, x.coordinates(), "the earlier map reads the same rows");
      assertEquals(before, SparseConvolution.forward(x, w, null, sub).features(), "its cached kernel map still serves");
      cm.clearKernelMapCache();
      assertEquals(before, SparseConvolution.forward(x, w, null, sub).features(), "and a wide rebuild agrees");
      assertTrue(cm.memory().current(MemoryCategory.COORDINATES) >= 2 * packedTable, "wide rows are 16 bytes at D=3");
    }
  }

  @Test
  void quantizerTakesPointsAnywhereInInt32() {
    double[][] points = {{1e9, -2e9, 5}, {1e9 + 0.5, -2e9, 5.2}, {-2.1e9, 0, 0}};
    Quantizer.Quantized q = Quantizer.quantize(points, new int[] {0, 0, 7}, new double[] {1, 1, 1}, null, Reduction.FIRST);
    assertEquals(Coordinates.of(new int[] {0, 1_000_000_000, -2_000_000_000, 5}, new int[] {7, -2_100_000_000, 0, 0}),
        q.coordinates());
    assertArrayEquals(new int[] {0, 0, 1}, q.inverseIndex());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Quantizer.quantize(new double[][] {{3e9, 0, 0}}, new int[] {0}, new double[] {1, 1, 1}, null, Reduction.FIRST));
    assertTrue(e.getMessage().contains("int32"), e.getMessage());
  }

  @Test
  void packedRangeIsWhatThePackerSays() {
    CoordinatePacker p = new CoordinatePacker(3);
    assertEquals(131071, p.axisMax());
    try (CoordinateManager cm = new CoordinateManager(3)) {
      cm.insert(Coordinates.of(new int[] {511, p.axisMin(), 0, p.axisMax()}), TensorStride.uniform(3, 1));
      assertFalse(cm.wideKeys(), "the packed range's edges still pack");
      cm.insert(Coordinates.of(new int[] {512, 0, 0, 0}), TensorStride.uniform(3, 1));
      assertTrue(cm.wideKeys(), "batch 512 does not pack at D=3");
    }
  }
}
