package org.jsparse.examples.ulm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.junit.jupiter.api.Test;

/** The simulator's physics and data rules, each a property that a wrong implementation breaks. */
class UlmSimulatorTest {
  private static VesselTree tree(long seed) {
    return VesselTree.grow(16, new SplittableRandom(seed));
  }

  @Test
  void branchesFollowMurraysLawAndPathsRunFromTheRootToEveryLeaf() {
    VesselTree t = tree(3);
    List<VesselTree.Segment> s = t.segments();
    double[] childCubes = new double[s.size()];
    int[] children = new int[s.size()];
    for (VesselTree.Segment seg : s) {
      assertTrue(seg.radiusUm() >= 4, "no vessel thinner than 4 um: " + seg);
      if (seg.parent() >= 0) {
        childCubes[seg.parent()] += Math.pow(seg.radiusUm(), 3);
        children[seg.parent()]++;
        VesselTree.Segment p = s.get(seg.parent());
        assertEquals(p.x1(), seg.x0(), 1e-12, "a child starts where its parent ends");
        assertEquals(p.z1(), seg.z0(), 1e-12);
      }
    }
    int branchings = 0;
    for (int i = 0; i < s.size(); i++) {
      if (children[i] == 2) {
        branchings++;
        assertEquals(Math.pow(s.get(i).radiusUm(), 3), childCubes[i], 1e-9 * childCubes[i], "Murray's law at " + i);
      }
    }
    assertTrue(branchings >= 5, "a tree, not a single vessel: " + branchings + " branchings");
    int leaves = (int) java.util.stream.IntStream.range(0, s.size()).filter(i -> children[i] == 0).count();
    assertEquals(leaves, t.paths().size(), "one flow path per leaf");
    for (VesselTree.FlowPath p : t.paths()) {
      assertEquals(-1, p.pieces().get(0).parent(), "every path starts at the root");
      assertTrue(p.length() > 0);
    }
  }

  @Test
  void bubblesKeepTheirCountStayInTheirVesselAndMoveAtTheVesselsSpeed() {
    assertEquals(Math.exp(1.9 * Math.log(60) - 6) / VesselTree.PIXEL_UM, BubbleFlow.speedPxPerMs(30, 1), 1e-12,
        "v_max = exp(1.9 ln d - 6) mm/s for d = 60 um, in px per ms");
    assertEquals(0.3 * BubbleFlow.speedPxPerMs(8, 1), BubbleFlow.speedPxPerMs(8, 0.3), 1e-15);
    VesselTree t = tree(5);
    BubbleFlow flow = new BubbleFlow(t, 20, new SplittableRandom(9));
    for (int frame = 0; frame < 300; frame++) {
      assertEquals(20, flow.count());
      for (int b = 0; b < flow.count(); b++) {
        double[] p = flow.position(b);
        assertTrue(Double.isFinite(p[0]) && Double.isFinite(p[1]));
        assertTrue(distanceToTree(t, p) <= 30 / VesselTree.PIXEL_UM + 1e-9, "bubble " + b + " left its vessel");
      }
      flow.step();
    }
  }

  private static double distanceToTree(VesselTree t, double[] p) {
    double best = Double.MAX_VALUE;
    for (VesselTree.Segment s : t.segments()) {
      double vx = s.x1() - s.x0();
      double vz = s.z1() - s.z0();
      double f = Math.max(0, Math.min(1, ((p[0] - s.x0()) * vx + (p[1] - s.z0()) * vz) / (vx * vx + vz * vz)));
      best = Math.min(best, Math.hypot(p[0] - s.x0() - f * vx, p[1] - s.z0() - f * vz));
    }
    return best;
  }

  @Test
  void theCorrMapIsANormalizedCorrelationThatPeaksOnABubble() {
    VesselTree t = tree(7);
    BubbleFlow one = new BubbleFlow(t, 1, new SplittableRandom(1));
    double[][] iq = Echoes.frame(one, 16, 60, new SplittableRandom(2)); // almost no noise
    float[][] c = Echoes.corrMap(iq, 16);
    double best = 0;
    int at = -1;
    for (int i = 0; i < 256; i++) {
      double p = c[0][i] * c[0][i] + c[1][i] * c[1][i];
      assertTrue(p <= 1 + 1e-6, "|c| <= 1");
      if (p > best) {
        best = p;
        at = i;
      }
    }
    double[] pos = one.position(0);
    if (pos[0] >= 1 && pos[0] < 15 && pos[1] >= 1 && pos[1] < 15) {
      assertTrue(best > 0.5, "a clean bubble correlates with the PSF: " + best);
      assertTrue(Math.abs(at % 16 + 0.5 - pos[0]) <= 1.5 && Math.abs(at / 16 + 0.5 - pos[1]) <= 1.5,
          "the peak sits on the bubble");
    }
    BubbleFlow none = new BubbleFlow(t, 0, new SplittableRandom(1));
    float[][] noise = Echoes.corrMap(Echoes.frame(none, 16, 20, new SplittableRandom(3)), 16);
    double mean = 0;
    for (int i = 0; i < 256; i++) {
      mean += (noise[0][i] * noise[0][i] + noise[1][i] * noise[1][i]) / 256;
    }
    assertTrue(mean > 0.01 && mean < 0.15, "pure noise correlates weakly: mean |c|^2 " + mean);
  }

  @Test
  void windowsAreSeededAndTheirTensorsFollowTheLayout() {
    VesselTree t = tree(11);
    UlmWindow a = UlmWindow.simulate(t, 10, 32, 20, new SplittableRandom(4));
    UlmWindow b = UlmWindow.simulate(t, 10, 32, 20, new SplittableRandom(4));
    assertArrayEquals(a.inputPixels(0.25, 0), b.inputPixels(0.25, 0), "same seed, same window");
    assertTrue(a.inputPixels(0.5, 0).length < a.inputPixels(0.25, 0).length, "a higher threshold keeps fewer");
    assertEquals(100, a.inputPixels(0.25, 100).length, "top-k keeps k");
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor x = a.input(cm, 0.25, 0);
      assertArrayEquals(new int[] {8, 8, 1}, x.tensorStride().toArray());
      assertEquals(2, x.channels());
      SparseTensor y = a.target(cm, 0);
      SparseTensor dilated = a.target(cm, 1);
      assertTrue(dilated.size() > y.size());
      for (int[] p : a.truth()) {
        assertTrue(p[0] >= 0 && p[0] < 128 && p[1] >= 0 && p[1] < 128 && p[2] >= 0 && p[2] < 32);
      }
    }
  }

  @Test
  void localizationFindsACleanBubbleAndDiceCountsOverlap() {
    VesselTree t = tree(13);
    UlmWindow w = UlmWindow.simulate(t, 1, 64, 60, new SplittableRandom(5));
    Angiogram truth = new Angiogram(128);
    for (int[] p : w.truth()) {
      truth.mark(p[0], p[1]);
    }
    Angiogram found = new Angiogram(128);
    Localization.localize(w, 0.5, found);
    Angiogram grown = new Angiogram(128);
    for (int z = 0; z < 128; z++) {
      for (int x = 0; x < 128; x++) {
        if (truth.get(x, z)) {
          for (int dz = -3; dz <= 3; dz++) {
            for (int dx = -3; dx <= 3; dx++) {
              grown.mark(x + dx, z + dz);
            }
          }
        }
      }
    }
    int near = 0;
    for (int z = 0; z < 128; z++) {
      for (int x = 0; x < 128; x++) {
        near += found.get(x, z) && grown.get(x, z) ? 1 : 0;
      }
    }
    assertTrue(found.count() > 0 && near >= 0.8 * found.count(),
        "a clean bubble's localizations lie within 3 fine pixels of its track: " + near + " of " + found.count());
    assertEquals(1.0, truth.dice(truth), 0);
    assertEquals(0.0, truth.dice(new Angiogram(128)), 0);
  }

  @Test
  void denseActivationsScaleWithTheGrid() {
    long small = DenseUlmMemory.activationBytes(16, 128, 2, 16);
    assertEquals(4 * small, DenseUlmMemory.activationBytes(32, 128, 2, 16), "2D: twice the side, four times the memory");
    assertTrue(DenseUlmMemory.activationBytes(16, 256, 2, 16) > small);
    assertTrue(DenseUlmMemory.activationBytes(16, 128, 3, 16) > 10 * small, "3D+t: one more axis of up to 128 voxels");
  }
}
