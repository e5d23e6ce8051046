package org.jsparse.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The CPU backend's {@link Backend#dropout}: its mask is {@link DropoutMask}'s (what the CUDA kernel
 * draws too), about p of the elements drop, seeds give unrelated masks (also neighbouring seeds,
 * shifted by an element), running it on its own output is the same mask again (what the backward
 * pass relies on), and a probability outside [0, 1) is refused.
 */
class DropoutTest {
  private static double[] values(Backend be, Buffer b) {
    return be.downloadDoubles(b);
  }

  @Test
  void theMaskIsDropoutMasksAndScalesTheRest() {
    int rows = 2000;
    int cols = 8;
    double p = 0.25;
    double[] x = new Random(3).doubles((long) rows * cols, 0.5, 1.5).toArray();
    try (Backend be = Backends.cpu(); Buffer in = be.upload(null, null, "test", x, rows, cols);
        Buffer out = be.zeros(null, null, "test", DataType.DOUBLE, rows, cols)) {
      be.dropout(in, 7, p, out);
      double[] y = values(be, out);
      long key = DropoutMask.key(7);
      int dropped = 0;
      for (int i = 0; i < y.length; i++) {
        boolean d = DropoutMask.dropped(key, i, p);
        dropped += d ? 1 : 0;
        assertEquals(d ? 0 : x[i] / (1 - p), y[i], 1e-15, "element " + i);
      }
      assertTrue(Math.abs(dropped / (double) y.length - p) < 0.015, "about p dropped: " + dropped + " of " + y.length);
      be.dropout(out, 7, p, out); // backward: the same mask on the gradient, in place
      double[] twice = values(be, out);
      for (int i = 0; i < y.length; i++) {
        assertEquals(DropoutMask.dropped(key, i, p) ? 0 : x[i] / (1 - p) / (1 - p), twice[i], 1e-15);
      }
    }
  }

  @Test
  void seedsGiveUnrelatedMasksEvenNeighbouringOnesShiftedByAnElement() {
    int n = 20000;
    long a = DropoutMask.key(1);
    long b = DropoutMask.key(2);
    int same = 0;
    int shifted = 0;
    for (int i = 0; i < n; i++) {
      same += DropoutMask.dropped(a, i, 0.5) == DropoutMask.dropped(b, i, 0.5) ? 1 : 0;
      shifted += DropoutMask.dropped(a, i + 1, 0.5) == DropoutMask.dropped(b, i, 0.5) ? 1 : 0;
    }
    assertTrue(Math.abs(same / (double) n - 0.5) < 0.02, "agreement of two seeds' masks is chance: " + same);
    assertTrue(Math.abs(shifted / (double) n - 0.5) < 0.02, "and of one shifted by an element: " + shifted);
    assertNotEquals(DropoutMask.key(1), DropoutMask.key(2));
  }

  @Test
  void aProbabilityOutsideZeroToOneIsRefused() {
    try (Backend be = Backends.cpu(); Buffer b = be.zeros(null, null, "test", DataType.FLOAT, 2, 2)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.dropout(b, 1, 1.0, b));
      assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
    }
  }
}
