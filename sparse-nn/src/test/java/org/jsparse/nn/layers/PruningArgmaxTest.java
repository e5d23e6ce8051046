package org.jsparse.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.backend.SeparateMemoryBackend;
import org.jsparse.nn.functional.SparseFunctions;
import org.jsparse.nn.autograd.Variable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch item whose sites all fall below the threshold keeps exactly one: its arg-max, ties to the
 * lowest row; on a backend with memory of its own the same sites are kept and only the keep mask
 * comes to the host (a byte a site), the logits too only when an item would vanish.
 */
class PruningArgmaxTest {
  private static boolean[] keep(float[] logits) {
    boolean[] onCpu = keep(logits, Backends.cpu());
    try (SeparateMemoryBackend device = new SeparateMemoryBackend()) {
      boolean[] onDevice = keep(logits, device);
      assertArrayEquals(onCpu, onDevice, "the same sites kept on a backend with memory of its own");
      long toHost = device.copies().entrySet().stream().filter(e -> e.getKey().startsWith("to host"))
          .mapToLong(java.util.Map.Entry::getValue).sum();
      boolean vanishing = false;
      for (int item = 0; item < 2; item++) {
        boolean any = false;
        for (int r = 3 * item; r < 3 * item + 3; r++) {
          any |= logits[r] > 0;
        }
        vanishing |= !any;
      }
      // the keep mask, a byte a site; the logits themselves only when an item would lose every site
      assertEquals(logits.length + (vanishing ? 4L * logits.length : 0), toHost, device.copies().toString());
    }
    return onCpu;
  }

  private static boolean[] keep(float[] logits, Backend backend) {
    try (CoordinateManager cm = new CoordinateManager(3, backend); NoGrad ng = NoGrad.enter()) {
      Coordinates c = Coordinates.of(new int[] {0, 0, 0, 0}, new int[] {0, 1, 0, 0}, new int[] {0, 2, 0, 0},
          new int[] {1, 0, 0, 0}, new int[] {1, 1, 0, 0}, new int[] {1, 2, 0, 0});
      float[][] column = new float[logits.length][];
      for (int i = 0; i < logits.length; i++) {
        column[i] = new float[] {logits[i]};
      }
      SparseTensor x = SparseTensor.create(cm, c, TensorStride.uniform(3, 1), Nd4j.create(column));
      Variable before = Variable.of(x, false);
      Variable v = SparseFunctions.scale(before, 2); // an op's result: on a device, nothing of it on the host
      Pruning prune = new Pruning();
      prune.eval();
      return prune.forward(v, v, null).keep();
    }
  }

  @Test
  void itemsWithSurvivorsNeedOnlyTheMask() {
    assertArrayEquals(new boolean[] {false, true, true, true, false, true}, keep(new float[] {-3, 2, 1, 5, -2, 3}));
  }

  @Test
  void tiedLogitsKeepOnlyTheLowestRowOfEachItem() {
    assertArrayEquals(new boolean[] {true, false, false, true, false, false}, keep(new float[] {-1, -1, -1, -2, -2, -2}));
  }

  @Test
  void theArgmaxWinsAndItemsWithSurvivorsKeepOnlyThem() {
    assertArrayEquals(new boolean[] {false, false, true, false, true, true}, keep(new float[] {-3, -2, -1, -5, 2, 3}));
    assertArrayEquals(new boolean[] {false, true, false, true, false, false}, keep(new float[] {-3, -0.5f, -0.5f, -1, -4, -1}));
  }
}
