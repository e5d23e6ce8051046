package org.jsparse.core.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.junit.jupiter.api.Test;

/** The CPU backend's loss and mask ops against their formulas, and what they refuse. */
class LossAndMaskOpsTest {
  private final Backend cpu = Backends.cpu();
  private final MemoryLedger ledger = new MemoryLedger("test");

  @Test
  void binaryCrossEntropyFollowsTheStableFormula() {
    double[] z = {-800, -2, 0, 0.5, 3, 800};
    int[] positives = {0, 1, 5, 5}; // a repeat changes nothing; element 0 is confidently wrong
    try (Buffer zb = cpu.upload(ledger, MemoryCategory.FEATURES, "test", z, 6, 1);
        Buffer g = cpu.zeros(ledger, MemoryCategory.GRADIENTS, "test", org.nd4j.linalg.api.buffer.DataType.DOUBLE, 6, 1)) {
      double sum = 0;
      double[] grad = new double[6];
      for (int i = 0; i < 6; i++) {
        boolean t = i == 0 || i == 1 || i == 5;
        sum += Math.max(z[i], 0) - (t ? z[i] : 0) + Math.log1p(Math.exp(-Math.abs(z[i])));
        grad[i] = 0.5 * (PointwiseFunction.sigmoid(z[i]) - (t ? 1 : 0));
      }
      assertEquals(sum, cpu.bceWithLogitsSum(zb, positives, ledger), 1e-12);
      assertTrue(Double.isFinite(sum) && sum > 800, "a confidently wrong logit costs its size, without overflow: " + sum);
      cpu.bceWithLogitsBackward(zb, positives, 0.5, g, ledger);
      assertArrayEquals(grad, cpu.downloadDoubles(g), 1e-15);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> cpu.bceWithLogitsSum(zb, new int[] {6}, ledger));
      assertTrue(e.getMessage().contains("positive label at element 6 of logits with 6 elements"), e.getMessage());
    }
  }

  @Test
  void greaterThanIsFalseForNanAndTheThresholdItself() {
    try (Buffer x = cpu.upload(ledger, MemoryCategory.FEATURES, "test", new float[] {-1, 0, Float.NaN, 0.25f, 2}, 5, 1)) {
      assertArrayEquals(new boolean[] {false, false, false, false, true}, cpu.greaterThan(x, 0.25));
    }
  }
}
