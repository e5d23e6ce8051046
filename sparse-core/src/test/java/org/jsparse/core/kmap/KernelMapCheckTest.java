package org.jsparse.core.kmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A kernel map made from user arrays is checked: kernels index rows by it without bounds checks. */
class KernelMapCheckTest {
  @Test
  void aValidMapIsAcceptedAndABadOneIsRefusedWithTheReason() {
    try (KernelMap ok = new KernelMap(new int[] {0, 2, 3}, new int[] {0, 1, 2}, new int[] {1, 0, 1}, 3, 2)) {
      assertEquals(3, ok.pairCount());
      assertEquals(2, ok.volume());
    }
    IllegalArgumentException row = assertThrows(IllegalArgumentException.class,
        () -> new KernelMap(new int[] {0, 2}, new int[] {0, 3}, new int[] {0, 0}, 3, 1));
    assertTrue(row.getMessage().contains("input row 3"), row.getMessage());
    IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
        () -> new KernelMap(new int[] {0, 1}, new int[] {0}, new int[] {-1}, 1, 1));
    assertTrue(out.getMessage().contains("output row -1"), out.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new KernelMap(new int[] {0, 2, 1}, new int[] {0, 0}, new int[] {0, 0}, 1, 1), "decreasing starts");
    assertThrows(IllegalArgumentException.class,
        () -> new KernelMap(new int[] {0, 1}, new int[] {0, 0}, new int[] {0, 0}, 1, 1), "starts end short of the pairs");
    assertThrows(IllegalArgumentException.class,
        () -> new KernelMap(new int[] {0, 1}, new int[] {0}, new int[] {0, 0}, 1, 1), "ins and outs differ in length");
  }
}
