package org.jsparse.core.kmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jsparse.core.internal.CoordinatePacker;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.internal.NativeInts;
import org.junit.jupiter.api.Test;

/**
 * Submanifold maps merged from key-sorted rows hold exactly the pairs a direct search of the
 * coordinates finds, also at the edge of the packable range, where adding an offset to a key would
 * carry into the next axis.
 */
class SortedKeyMergeTest {
  private static final int D = 3;

  /** Every (in, out) pair per offset by a plain search over coordinate rows. */
  private static List<List<long[]>> reference(Coordinates c, int[][] offsets) {
    Map<List<Integer>, Integer> rows = new HashMap<>();
    for (int r = 0; r < c.size(); r++) {
      rows.put(List.of(c.batch(r), c.get(r, 0), c.get(r, 1), c.get(r, 2)), r);
    }
    List<List<long[]>> pairs = new ArrayList<>();
    for (int[] off : offsets) {
      List<long[]> k = new ArrayList<>();
      for (int o = 0; o < c.size(); o++) {
        long x = (long) c.get(o, 0) + off[0];
        long y = (long) c.get(o, 1) + off[1];
        long z = (long) c.get(o, 2) + off[2];
        if (Math.abs(x) > Integer.MAX_VALUE || Math.abs(y) > Integer.MAX_VALUE || Math.abs(z) > Integer.MAX_VALUE) {
          continue;
        }
        Integer in = rows.get(List.of(c.batch(o), (int) x, (int) y, (int) z));
        if (in != null) {
          k.add(new long[] {in, o});
        }
      }
      pairs.add(k);
    }
    return pairs;
  }

  private static void assertSamePairs(Coordinates c) {
    try (CoordinateManager cm = new CoordinateManager(D)) {
      CoordinateMapKey key = cm.insert(c, TensorStride.uniform(D, 1));
      KernelRegion region = KernelRegion.cube(D, 3);
      KernelMap map = cm.kernelMap(new KernelMapKey(key, key, region, TensorStride.uniform(D, 1), MapKind.CONVOLUTION));
      assertTrue(map.isCompact(), "a submanifold map is half stored");
      KernelMap full = map.expanded(null);
      List<List<long[]>> expected = reference(c, region.offsets(TensorStride.uniform(D, 1)));
      for (int k = 0; k < map.volume(); k++) {
        NativeInts ins = full.insOf(k);
        NativeInts outs = full.outsOf(k);
        List<long[]> e = expected.get(k);
        assertEquals(e.size(), full.pairCount(k), "pairs of offset " + k);
        for (int p = 0; p < e.size(); p++) {
          assertEquals(e.get(p)[0], ins.get(full.start(k) + p), "input row of pair " + p + " of offset " + k);
          assertEquals(e.get(p)[1], outs.get(full.start(k) + p), "output row of pair " + p + " of offset " + k);
        }
      }
      if (full != map) {
        full.close();
      }
    }
  }

  @Test
  void randomCoordinatesGiveTheSamePairsAsADirectSearch() {
    Random rnd = new Random(9);
    java.util.LinkedHashSet<List<Integer>> rows = new java.util.LinkedHashSet<>();
    for (int i = 0; i < 3000; i++) {
      rows.add(List.of(rnd.nextInt(2), rnd.nextInt(20) - 10, rnd.nextInt(20) - 10, rnd.nextInt(20) - 10));
    }
    assertSamePairs(Coordinates.of(rows.stream().map(r -> r.stream().mapToInt(Integer::intValue).toArray())
        .toArray(int[][]::new)));
  }

  @Test
  void noOffsetCarriesAcrossAxesAtThePackableEdge() {
    CoordinatePacker packer = new CoordinatePacker(D);
    int max = packer.axisMax();
    int min = packer.axisMin();
    // key(A) + delta of (0, 0, +1) would be key(B) if the last axis carried into the one before it
    Coordinates c = Coordinates.of(new int[] {0, 0, 0, max}, new int[] {0, 0, 1, min}, new int[] {0, 0, 0, max - 1},
        new int[] {0, min, 5, 5}, new int[] {0, max, 5, 5}, new int[] {1, 0, 1, min + 1});
    assertSamePairs(c);
  }
}
