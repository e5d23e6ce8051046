package org.jsparse.core.kmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.internal.CoordinatePacker;
import org.jsparse.core.internal.NativeLongs;
import org.junit.jupiter.api.Test;

/**
 * The generative output of a kernel that is its stride (each parent's cell of children, no two
 * parents sharing a child) is built without looking for duplicates or a hash; it must be the rows,
 * in the order, the general path (which dedupes) gives.
 */
class GeneratedChildrenTest {
  @Test
  void childrenOfDisjointCellsAreTheDedupedCandidatesInOrder() {
    CoordinatePacker packer = new CoordinatePacker(3);
    Random rnd = new Random(5);
    Set<Long> parents = new LinkedHashSet<>();
    while (parents.size() < 500) {
      int[] row = {rnd.nextInt(2), 4 * (rnd.nextInt(40) - 20), 4 * rnd.nextInt(30), 4 * (rnd.nextInt(10) - 5)};
      parents.add(packer.pack(row, 0));
    }
    NativeLongs keys = new NativeLongs(parents.size());
    int i = 0;
    for (long k : parents) {
      keys.set(i++, k);
    }
    CoordinateTable src = new CoordinateTable(packer, keys);
    int[][] offsets = KernelRegion.cube(3, 2).offsets(TensorStride.uniform(3, 2)); // stride 4 -> 2, kernel 2
    assertTrue(DerivedMaps.tilesOneCell(offsets, new int[] {4, 4, 4}));
    assertFalse(DerivedMaps.tilesOneCell(offsets, new int[] {2, 2, 2}), "cells of 2 hold one offset value each");
    assertFalse(DerivedMaps.tilesOneCell(KernelRegion.cube(3, 3).offsets(TensorStride.uniform(3, 2)),
        new int[] {4, 4, 4}), "a centred kernel reaches into the neighbours' cells");
    DerivedMaps.Built fast = DerivedMaps.generated(packer, src, offsets, new int[] {4, 4, 4});
    DerivedMaps.Built general = DerivedMaps.generated(packer, src, offsets, new int[] {1, 1, 1}); // dedupes
    assertEquals(general.table().size(), fast.table().size());
    assertEquals(500 * 8, fast.table().size(), "every child distinct");
    assertNull(fast.hash(), "no hash was needed to find duplicates: the manager makes one on the first lookup");
    SiteHash later = SiteHash.ofUnique(fast.table());
    for (int r = 0; r < fast.table().size(); r++) {
      assertEquals(general.table().key(r), fast.table().key(r), "row " + r);
      assertEquals(r, later.packed().get(fast.table().key(r)), "a hash made later finds row " + r);
    }
  }
}
