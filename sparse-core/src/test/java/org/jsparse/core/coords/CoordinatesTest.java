package org.jsparse.core.coords;

import org.jsparse.core.internal.CoordinateHash;
import org.jsparse.core.internal.CoordinatePacker;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CoordinatesTest {
  @Test
  void packingKeepsLexicographicOrderAndNegativeValues() {
    for (int d = 1; d <= 4; d++) {
      CoordinatePacker p = new CoordinatePacker(d);
      int[] a = new int[d + 1];
      int[] b = new int[d + 1];
      a[0] = 1;
      b[0] = 1;
      a[d] = -5;
      b[d] = 3;
      long ka = p.pack(a, 0);
      long kb = p.pack(b, 0);
      assertTrue(ka >= 0 && ka < kb, "key order follows coordinate order, D=" + d);
      assertEquals(-5, p.axisOf(ka, d - 1));
      assertEquals(1, p.batchOf(ka));
    }
  }

  @Test
  void outOfRangeCoordinatesNameTheAllowedRange() {
    CoordinatePacker p = new CoordinatePacker(4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p.pack(new int[] {0, 0, 9000, 0, 0}, 0));
    assertTrue(e.getMessage().contains("[-8192, 8191]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> p.pack(new int[] {-1, 0, 0, 0, 0}, 0));
    assertThrows(IllegalArgumentException.class, () -> new CoordinatePacker(5));
  }

  @Test
  void hashFindsEveryKeyAndOnlyThose() {
    CoordinateHash h = new CoordinateHash(1000);
    for (int i = 0; i < 1000; i++) {
      assertEquals(-1, h.putIfAbsent(i * 7919L, i));
    }
    assertEquals(3, h.putIfAbsent(3 * 7919L, 99), "existing key keeps its row");
    for (int i = 0; i < 1000; i++) {
      assertEquals(i, h.get(i * 7919L));
      assertEquals(-1, h.get(i * 7919L + 1));
    }
    assertEquals(1000, h.size());
  }

  @Test
  void kernelOffsetsFollowTheConventions() {
    TensorStride t2 = TensorStride.of(2, 2);
    assertArrayEquals(new int[][] {{-2, -2}, {0, -2}, {2, -2}, {-2, 0}, {0, 0}, {2, 0}, {-2, 2}, {0, 2}, {2, 2}},
        KernelRegion.cube(2, 3).offsets(t2), "odd K centred, first axis fastest");
    assertArrayEquals(new int[][] {{0}, {2}}, KernelRegion.cube(1, 2).offsets(TensorStride.of(2)), "K=2 gives {0, t}");
    assertArrayEquals(new int[][] {{0, 0}, {-4, 0}, {4, 0}, {0, -4}, {0, 4}},
        KernelRegion.hypercross(new int[] {3, 3}, new int[] {2, 2}).offsets(t2), "hypercross with dilation 2");
    KernelRegion st = KernelRegion.hypercube(new int[] {3, 3, 3, 1}, new int[] {1, 1, 1, 1});
    assertEquals(27, st.volume(), "3x3x3x1 space+time kernel");
    int[][] o = st.offsets(TensorStride.of(1, 1, 1, 1));
    for (int[] row : o) {
      assertEquals(0, row[3], "no offset along time");
    }
    KernelRegion custom = KernelRegion.custom(new int[][] {{0, 0}, {1, 0}, {0, -1}}, new int[] {1, 3});
    assertArrayEquals(new int[][] {{0, 0}, {1, 0}, {0, -3}}, custom.offsets(TensorStride.of(1, 1)));
    assertThrows(IllegalArgumentException.class, () -> KernelRegion.custom(new int[][] {{1}, {1}}, new int[] {1}));
    assertThrows(IllegalArgumentException.class, () -> KernelRegion.hypercross(new int[] {2}, new int[] {1}));
    assertEquals(KernelRegion.cube(3, 3), KernelRegion.cube(3, 3));
  }
}
