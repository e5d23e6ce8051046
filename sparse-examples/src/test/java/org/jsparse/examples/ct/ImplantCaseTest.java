package org.jsparse.examples.ct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The seed's training pair and the post-processing morphology, on shapes whose answers are known by hand. */
class ImplantCaseTest {
  private static final int R = 16;

  /** A solid slab of bone, 4 voxels thick along x (x = 10..13), spanning y and z in 2..13. */
  private static boolean[] slab() {
    boolean[] bone = new boolean[R * R * R];
    for (int z = 2; z < 14; z++) {
      for (int y = 2; y < 14; y++) {
        for (int x = 10; x < 14; x++) {
          bone[(z * R + y) * R + x] = true;
        }
      }
    }
    return bone;
  }

  private static int at(int z, int y, int x) {
    return (z * R + y) * R + x;
  }

  @Test
  void theImplantIsTheSolidBoneInsideTheDefectAndTheInputTheDefectiveEdge() {
    // a cube of half-size 2 around (8, 8, 12): z, y in 6..10, x in 10..13 of the slab -> 5 * 5 * 4 voxels
    Defects.Defect cube = new Defects.Defect(Defects.Shape.CUBE, new int[] {8, 8, 12}, new double[] {2, 2, 2});
    ImplantCase c = ImplantCase.cut(slab(), R, cube);
    assertEquals(5 * 5 * 4, c.implantVoxels());
    assertTrue(c.implant()[at(8, 8, 11)], "the slab's inside voxel in the defect is implant (the implant is solid)");
    assertFalse(c.input()[at(8, 8, 11)], "and not input");
    assertTrue(c.input()[at(8, 5, 11)], "the cut face next to the defect is an edge of the defective skull");
    assertFalse(c.input()[at(4, 4, 11)], "the slab's inside far from the cut is not edge");
    assertTrue(c.input()[at(4, 4, 10)], "its faces are");
    boolean[] target = c.target();
    for (int i = 0; i < target.length; i++) {
      assertEquals(c.input()[i] || c.implant()[i], target[i]);
      assertFalse(c.input()[i] && c.implant()[i], "input and implant are disjoint");
    }
  }

  @Test
  void aMaskOfTheWrongSizeIsRefused() {
    Defects.Defect d = new Defects.Defect(Defects.Shape.SPHERE, new int[] {1, 1, 1}, new double[] {1, 1, 1});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImplantCase.cut(new boolean[10], R, d));
    assertTrue(e.getMessage().contains("16^3"), e.getMessage());
  }

  @Test
  void openingRemovesThinStrandsAndKeepsThickBlocks() {
    boolean[] m = new boolean[R * R * R];
    for (int z = 2; z < 5; z++) {
      for (int y = 2; y < 5; y++) {
        for (int x = 2; x < 5; x++) {
          m[at(z, y, x)] = true; // a 3x3x3 block: its centre survives erosion, dilation gives back the cross
        }
      }
    }
    for (int x = 0; x < R; x++) {
      m[at(10, 10, x)] = true; // a one-voxel strand
    }
    int[] shape = {R, R, R};
    boolean[] open = Morphology.opening(m, shape);
    for (int x = 0; x < R; x++) {
      assertFalse(open[at(10, 10, x)], "the strand is gone at x = " + x);
    }
    assertTrue(open[at(3, 3, 3)] && open[at(2, 3, 3)] && open[at(3, 3, 4)], "the block's cross stays");
    assertFalse(open[at(2, 2, 2)], "its corners go (the cross is the structuring element)");
    int kept = 0;
    for (boolean b : open) {
      kept += b ? 1 : 0;
    }
    assertEquals(7, kept);
  }

  @Test
  void theLargestComponentIsKeptAlone() {
    boolean[] m = new boolean[R * R * R];
    m[at(1, 1, 1)] = true;
    m[at(5, 5, 5)] = true;
    m[at(5, 5, 6)] = true;
    m[at(6, 6, 6)] = true; // touches (5, 5, 6)? no: two axes differ, not 6-connected
    boolean[] l = Morphology.largestComponent(m, new int[] {R, R, R});
    assertTrue(l[at(5, 5, 5)] && l[at(5, 5, 6)]);
    assertFalse(l[at(1, 1, 1)] || l[at(6, 6, 6)]);
  }

  @Test
  void diceCountsOverlapTwice() {
    boolean[] a = {true, true, false, false};
    boolean[] b = {true, false, true, false};
    assertEquals(0.5, CtSkullCompletion.dice(a, b), 1e-12);
    assertEquals(1.0, CtSkullCompletion.dice(new boolean[3], new boolean[3]), 1e-12, "both empty");
  }
}
