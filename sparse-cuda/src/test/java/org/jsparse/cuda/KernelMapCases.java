package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.KernelMapKey;
import org.jsparse.core.kmap.MapKind;

/**
 * The kernel-map geometries a device builder is checked on (on the CPU through the emulated kernels,
 * on a GPU through JCuda): submanifold cubes for D = 1..4, even, dilated, hypercross and custom
 * regions, strided convolution and pooling, transposed maps onto the finer map and onto generated
 * sites, and sites at the edges of the packed key range.
 */
final class KernelMapCases {
  /** A map to build: coordinates inserted at stride 1, and the key made of the manager and that input map. */
  record Case(String name, int dimension, Coordinates coords,
      BiFunction<CoordinateManager, CoordinateMapKey, KernelMapKey> keyOf) {}

  private KernelMapCases() {}

  /** Random distinct sites in [lo, lo + side)^D over two batches. */
  static Coordinates sites(int d, int side, int lo, double fill, long seed) {
    Random r = new Random(seed);
    Set<List<Integer>> rows = new LinkedHashSet<>();
    int count = (int) (2 * Math.pow(side, d) * fill);
    while (rows.size() < count) {
      List<Integer> row = new ArrayList<>();
      row.add(r.nextInt(2));
      for (int a = 0; a < d; a++) {
        row.add(lo + r.nextInt(side));
      }
      rows.add(row);
    }
    return Coordinates.fromFlat(d, rows.stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray());
  }

  static KernelMapKey onItself(CoordinateMapKey in, KernelRegion region) {
    return new KernelMapKey(in, in, region, TensorStride.uniform(in.stride().toArray().length, 1), MapKind.CONVOLUTION);
  }

  /** D=4 packs 14 bits an axis ([-8192, 8191]): sites at both ends, and pairs one carry apart in their keys. */
  static Coordinates edgesOfTheKeyRange() {
    return Coordinates.fromFlat(4, new int[] {
        0, -8192, 0, 8191, 5, 0, -8191, 0, 8191, 5, 0, 8191, 0, -8192, 5, 0, 8190, 0, -8192, 5, 1, -8192, 0, 8191, 5,
        0, -8192, 1, 8191, 5, 0, 8191, 8191, 8191, 8191, 0, -8192, -8192, -8192, -8192, 0, 8191, 8191, 8191, 8190,
        // keys that differ by one step of an axis with a carry into the field above: unpacked they are far apart
        0, 0, 0, 8191, 0, 0, 0, 1, -8192, 0, 0, 8191, 0, 0, 0, 1, -8192, 0, 0, 0, 0, 3, 3, 3, 8191, 0, 3, 3, 4, -8192});
  }

  /** {@code actual} holds {@code expected}'s pairs offset by offset (in any order) and is stored in the same form. */
  static void assertSameMap(String name, KernelMap expected, KernelMap actual) {
    assertEquals(expected.isCompact(), actual.isCompact(), name + ": the host keeps the form it keeps for its own maps");
    assertEquals(expected.volume(), actual.volume(), name);
    assertEquals(expected.inRows(), actual.inRows(), name);
    assertEquals(expected.outRows(), actual.outRows(), name);
    KernelMap e = expected.expanded(null);
    KernelMap a = actual.expanded(null);
    try {
      for (int k = 0; k < e.volume(); k++) {
        assertArrayEquals(sortedPairs(e, k), sortedPairs(a, k), name + ": offset " + k + " pairs");
      }
    } finally { // a map stored whole is its own expansion, still the manager's
      if (e != expected) {
        e.close();
      }
      if (a != actual) {
        a.close();
      }
    }
  }

  /** Pairs of offset k as sorted {@code in * 2^32 + out} values. */
  private static long[] sortedPairs(KernelMap m, int k) {
    long[] p = new long[m.pairCount(k)];
    for (int i = 0; i < p.length; i++) {
      int at = m.start(k) + i;
      p[i] = ((long) m.inRow(at) << 32) | m.outRow(at);
    }
    Arrays.sort(p);
    return p;
  }

  static List<Case> all() {
    List<Case> cases = new ArrayList<>();
    int[] side = {0, 300, 30, 10, 6};
    for (int d = 1; d <= 4; d++) {
      int dd = d;
      cases.add(new Case("submanifold 3^" + d, d, sites(d, side[d], -side[d] / 2, 0.3, 11 + d),
          (cm, in) -> onItself(in, KernelRegion.cube(dd, 3))));
    }
    Coordinates c = sites(3, 9, 0, 0.35, 5);
    cases.add(new Case("cube 2", 3, c, (cm, in) -> onItself(in, KernelRegion.cube(3, 2))));
    cases.add(new Case("dilated 3x3x3 (2,1,2)", 3, c,
        (cm, in) -> onItself(in, KernelRegion.hypercube(new int[] {3, 3, 3}, new int[] {2, 1, 2}))));
    cases.add(new Case("hypercross 5", 3, c,
        (cm, in) -> onItself(in, KernelRegion.hypercross(new int[] {5, 5, 5}, new int[] {1, 1, 1}))));
    cases.add(new Case("custom", 3, c, (cm, in) -> onItself(in,
        KernelRegion.custom(new int[][] {{0, 0, 0}, {1, 0, 0}, {0, -2, 1}, {3, 3, -3}}, new int[] {1, 1, 1}))));
    Coordinates s = sites(3, 10, -5, 0.3, 7);
    TensorStride two = TensorStride.uniform(3, 2);
    int[] s2 = {2, 2, 2};
    for (int kernel : new int[] {2, 3}) {
      KernelRegion region = KernelRegion.cube(3, kernel);
      cases.add(new Case("strided " + kernel, 3, s,
          (cm, in) -> new KernelMapKey(in, cm.stride(in, s2), region, two, MapKind.CONVOLUTION)));
      cases.add(new Case("pooling " + kernel, 3, s,
          (cm, in) -> new KernelMapKey(in, cm.stride(in, s2), region, two, MapKind.POOLING)));
      cases.add(new Case("transposed " + kernel, 3, s,
          (cm, in) -> new KernelMapKey(cm.stride(in, s2), in, region, two, MapKind.TRANSPOSED)));
      cases.add(new Case("generative " + kernel, 3, s, (cm, in) -> {
        CoordinateMapKey coarse = cm.stride(in, s2);
        return new KernelMapKey(coarse, cm.generativeOutput(coarse, region, s2), region, two, MapKind.TRANSPOSED);
      }));
    }
    cases.add(new Case("key-range edges 3^4", 4, edgesOfTheKeyRange(), (cm, in) -> onItself(in, KernelRegion.cube(4, 3))));
    cases.add(new Case("key-range edges 2^4", 4, edgesOfTheKeyRange(), (cm, in) -> onItself(in, KernelRegion.cube(4, 2))));
    return cases;
  }
}
