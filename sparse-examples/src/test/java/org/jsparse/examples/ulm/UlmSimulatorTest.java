package org.jsparse.examples.ulm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulator's physics and data rules, each a property that a wrong implementation breaks. */
class UlmSimulatorTest {
  private static VesselTree tree(long seed) {
    return VesselTree.grow(16, new SplittableRandom(seed));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void branchesFollowMurraysLawAndPathsRunFromTheRootToEveryLeaf(int dims) {
    VesselTree t = VesselTree.grow(16, dims, new SplittableRandom(3));
    List<VesselTree.Segment> s = t.segments();
    double[] childCubes = new double[s.size()];
    int[] children = new int[s.size()];
    for (VesselTree.Segment seg : s) {
      assertTrue(seg.radiusUm() >= 4, "no vessel thinner than 4 um: " + seg);
      if (seg.parent() >= 0) {
        childCubes[seg.parent()] += Math.pow(seg.radiusUm(), 3);
        children[seg.parent()]++;
        VesselTree.Segment p = s.get(seg.parent());
        assertArrayEquals(p.end(), seg.start(), 1e-12, "a child starts where its parent ends");
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

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void bubblesKeepTheirCountStayInTheirVesselAndMoveAtTheVesselsSpeed(int dims) {
    assertEquals(Math.exp(1.9 * Math.log(60) - 6) / VesselTree.PIXEL_UM, BubbleFlow.speedPxPerMs(30, 1), 1e-12,
        "v_max = exp(1.9 ln d - 6) mm/s for d = 60 um, in px per ms");
    assertEquals(0.3 * BubbleFlow.speedPxPerMs(8, 1), BubbleFlow.speedPxPerMs(8, 0.3), 1e-15);
    VesselTree t = VesselTree.grow(16, dims, new SplittableRandom(5));
    BubbleFlow flow = new BubbleFlow(t, 20, new SplittableRandom(9));
    for (int frame = 0; frame < 300; frame++) {
      assertEquals(20, flow.count());
      for (int b = 0; b < flow.count(); b++) {
        double[] p = flow.position(b);
        assertEquals(dims, p.length);
        assertTrue(Double.isFinite(p[0]) && Double.isFinite(p[1]));
        assertTrue(distanceToTree(t, p) <= 30 / VesselTree.PIXEL_UM + 1e-9, "bubble " + b + " left its vessel");
      }
      flow.step();
    }
  }

  private static double distanceToTree(VesselTree t, double[] p) {
    double best = Double.MAX_VALUE;
    for (VesselTree.Segment s : t.segments()) {
      double vv = 0;
      double pv = 0;
      for (int a = 0; a < p.length; a++) {
        double v = s.end()[a] - s.start()[a];
        vv += v * v;
        pv += (p[a] - s.start()[a]) * v;
      }
      double f = Math.max(0, Math.min(1, pv / vv));
      double d = 0;
      for (int a = 0; a < p.length; a++) {
        double r = p[a] - s.start()[a] - f * (s.end()[a] - s.start()[a]);
        d += r * r;
      }
      best = Math.min(best, Math.sqrt(d));
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
    UlmWindow w = null;
    for (long seed = 5; w == null || w.truth().size() < 48; seed++) { // a bubble inside the field most of the window
      w = UlmWindow.simulate(t, 1, 64, 60, new SplittableRandom(seed));
    }
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
  void volumesHaveTheSameLayoutOneAxisMore() {
    VesselTree t = VesselTree.grow(8, 3, new SplittableRandom(17));
    UlmWindow w = UlmWindow.simulate(t, 10, 16, 20, new SplittableRandom(6));
    try (CoordinateManager cm = new CoordinateManager(4)) {
      SparseTensor x = w.input(cm, 0.25, 0);
      assertArrayEquals(new int[] {8, 8, 8, 1}, x.tensorStride().toArray());
      SparseTensor y = w.target(cm, 0);
      assertEquals(4, y.dimension());
    }
    float[][] c = Echoes.corrMap(Echoes.frame(new BubbleFlow(t, 5, new SplittableRandom(2)), 8, 3, 20,
        new SplittableRandom(3)), 8, 3);
    for (int i = 0; i < c[0].length; i++) {
      assertTrue(c[0][i] * c[0][i] + c[1][i] * c[1][i] <= 1 + 1e-6, "|c| <= 1 in 3D too");
    }
    Angiogram a = new Angiogram(64, 3);
    a.mark(new int[] {3, 9, 5});
    assertTrue(a.planar().get(3, 5), "the projection keeps x and depth");
  }

  @Test
  void denseActivationsScaleWithTheGrid() {
    long small = DenseUlmMemory.activationBytes(16, 128, 2, 16);
    assertEquals(4 * small, DenseUlmMemory.activationBytes(32, 128, 2, 16), "2D: twice the side, four times the memory");
    assertTrue(DenseUlmMemory.activationBytes(16, 256, 2, 16) > small);
    assertTrue(DenseUlmMemory.activationBytes(16, 128, 3, 16) > 10 * small, "3D+t: one more axis of up to 128 voxels");
  }
}
