package org.jsparse.core.kmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.memory.MemoryCategory;
import org.junit.jupiter.api.Test;

class CoordinateManagerTest {
  private static final TensorStride T1 = TensorStride.of(1, 1);

  @Test
  void stridedMapFloorsTowardMinusInfinity() {
    try (CoordinateManager cm = new CoordinateManager(2)) {
      CoordinateMapKey in = cm.insert(Coordinates.of(new int[] {0, -3, 1}, new int[] {0, -4, 0}, new int[] {1, 3, 3}), T1);
      CoordinateMapKey out = cm.stride(in, new int[] {2, 2});
      assertEquals(Coordinates.of(new int[] {0, -4, 0}, new int[] {1, 2, 2}), cm.coordinates(out));
      assertEquals(TensorStride.of(2, 2), out.stride());
      assertSame(out, cm.stride(in, new int[] {2, 2}), "strided maps are cached");
      assertSame(in, cm.stride(in, new int[] {1, 1}));
      assertEquals(in, cm.ancestorAt(out, T1));
    }
  }

  @Test
  void kernelMapCacheIsKeyedByEverythingAndBounded() {
    try (CoordinateManager cm = new CoordinateManager(2, 2)) {
      CoordinateMapKey in = cm.insert(Coordinates.of(new int[] {0, 0, 0}, new int[] {0, 1, 0}, new int[] {0, 2, 1}), T1);
      KernelMapKey k3 = new KernelMapKey(in, in, KernelRegion.cube(2, 3), T1, MapKind.CONVOLUTION);
      KernelMap a = cm.kernelMap(k3);
      assertSame(a, cm.kernelMap(k3), "a cache hit returns the same map");
      KernelMapKey dilated = new KernelMapKey(in, in, KernelRegion.hypercube(new int[] {3, 3}, new int[] {2, 2}), T1,
          MapKind.CONVOLUTION);
      KernelMap b = cm.kernelMap(dilated);
      assertNotEquals(a.pairCount(), b.pairCount(), "dilation is part of the key");
      assertEquals(2, cm.kernelMapCacheSize());
      assertTrue(cm.memory().current(MemoryCategory.KERNEL_MAPS) == a.bytes() + b.bytes());
      cm.kernelMap(new KernelMapKey(in, in, KernelRegion.cube(2, 3), T1, MapKind.POOLING));
      assertEquals(2, cm.kernelMapCacheSize(), "the cache never grows past its capacity");
      assertEquals(cm.kernelMapCacheBytes(), cm.memory().current(MemoryCategory.KERNEL_MAPS));
    }
  }

  @Test
  void submanifoldPairsAreCorrectAndSortedByOutput() {
    try (CoordinateManager cm = new CoordinateManager(1)) {
      CoordinateMapKey in = cm.insert(Coordinates.of(new int[] {0, 5}, new int[] {0, 6}, new int[] {0, 8}), TensorStride.of(1));
      KernelMap stored = cm.kernelMap(new KernelMapKey(in, in, KernelRegion.cube(1, 3), TensorStride.of(1), MapKind.CONVOLUTION));
      assertTrue(stored.isCompact(), "a submanifold map stores its first half and centre only");
      assertEquals(5, stored.pairCount(), "but counts all its pairs");
      assertTrue(stored.bytes() < 4L * 2 * 5 + 4L * 4, "and holds fewer bytes than all of them");
      KernelMap m = stored.expanded(null);
      // offset -1: out 6 reads 5; offset 0: identity; offset +1: out 5 reads 6
      assertEquals(1, m.pairCount(0));
      assertEquals(0, m.inRow(m.start(0)));
      assertEquals(1, m.outRow(m.start(0)));
      assertEquals(3, m.pairCount(1));
      assertEquals(1, m.pairCount(2));
      assertEquals(1, m.inRow(m.start(2)));
      assertEquals(0, m.outRow(m.start(2)));
      m.close();
      assertFalse(stored.isClosed() , "closing the expanded copy leaves the cached map open");
    }
  }

  @Test
  void pruneUnionAndAlignment() {
    try (CoordinateManager cm = new CoordinateManager(2)) {
      CoordinateMapKey a = cm.insert(Coordinates.of(new int[] {0, 0, 0}, new int[] {0, 1, 1}, new int[] {0, 2, 2}), T1);
      CoordinateMapKey b = cm.insert(Coordinates.of(new int[] {0, 2, 2}, new int[] {0, 3, 3}), T1);
      RowSelection p = cm.prune(a, new boolean[] {true, false, true});
      assertArrayEquals(new int[] {0, 2}, p.sourceRows());
      assertEquals(Coordinates.of(new int[] {0, 0, 0}, new int[] {0, 2, 2}), cm.coordinates(p.key()));
      Union u = cm.union(List.of(a, b));
      assertEquals(4, cm.size(u.key()));
      assertArrayEquals(new int[] {2, 3}, u.rowMaps()[1]);
      KernelMap align = cm.alignmentMap(b, a);
      assertEquals(1, align.pairCount());
      assertEquals(0, align.inRow(0));
      assertEquals(2, align.outRow(0));
      assertThrows(IllegalArgumentException.class, () -> cm.prune(a, new boolean[2]));
    }
  }

  @Test
  void closingGivesEveryByteBack() {
    CoordinateManager cm = new CoordinateManager(2);
    CoordinateMapKey a = cm.insert(Coordinates.of(new int[] {0, 0, 0}, new int[] {0, 1, 1}), T1);
    cm.kernelMap(new KernelMapKey(a, a, KernelRegion.cube(2, 3), T1, MapKind.CONVOLUTION));
    assertTrue(cm.memory().currentTotal() > 0);
    assertTrue(cm.memory().peak(MemoryCategory.COORDINATES) > 0);
    cm.close();
    assertEquals(0, cm.memory().currentTotal());
    assertThrows(IllegalStateException.class, () -> cm.coordinates(a));
  }

  @Test
  void tablesKeepRowsAsPackedKeysAndHandOutCopies() {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      int max = new org.jsparse.core.internal.CoordinatePacker(3).axisMax();
      int min = new org.jsparse.core.internal.CoordinatePacker(3).axisMin();
      Coordinates c = Coordinates.of(new int[] {2, min, 0, max}, new int[] {0, -1, 5, 7}, new int[] {2, 3, max, min});
      CoordinateMapKey key = cm.insert(c, TensorStride.uniform(3, 1));
      assertEquals(c, cm.coordinates(key), "the rows come back as inserted, extremes of the range included");
      assertArrayEquals(new int[] {0, -1, 5, 7}, cm.row(key, 1));
      assertArrayEquals(new int[] {2, 0, 2}, cm.batchIndices(key));
      assertEquals(3, cm.batchCount(key));
      long hash;
      try (org.jsparse.core.internal.CoordinateHash h = new org.jsparse.core.internal.CoordinateHash(3)) {
        hash = h.bytes();
      }
      assertEquals(3L * 8 + hash, cm.memory().current(MemoryCategory.COORDINATES), "8 bytes a row, and the hash");
      assertThrows(IndexOutOfBoundsException.class, () -> cm.row(key, 3));
      int[] copy = cm.coordinates(key).toFlatArray();
      copy[0] = 99;
      assertEquals(c, cm.coordinates(key), "a copy cannot change the map");
    }
  }

  @Test
  void aRefusedInsertLeavesNothingCounted() {
    try (CoordinateManager cm = new CoordinateManager(2)) {
      long before = cm.memory().currentTotal();
      assertThrows(IllegalArgumentException.class,
          () -> cm.insert(Coordinates.of(new int[] {0, 1, 1}, new int[] {0, 1, 1}), T1));
      assertThrows(IllegalArgumentException.class,
          () -> cm.insert(Coordinates.of(new int[] {0, 1 << 30, 1}, new int[] {0, 1 << 30, 1}), T1));
      assertEquals(before, cm.memory().currentTotal());
      assertEquals(0, cm.mapKeys().size());
    }
  }
}
