package org.jsparse.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.nn.Module;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.SparseFunctions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The optimizer's ledger counts the training state (parameters, gradients, slots); gradients are
 * allocated once and reused across steps; a FLOAT parameter follows the double-precision rule.
 */
class TrainingStateTest {
  /** A [3, 4] linear weight and a [4] bias. */
  private static final class Dense extends Module {
    final Parameter w;
    final Parameter b;

    Dense(DataType type) {
      w = parameter("w", Parameter.Role.WEIGHT, type, 3, 4);
      b = parameter("b", Parameter.Role.BIAS, type, 4);
      for (int i = 0; i < 12; i++) {
        w.data().putScalar(i, 0.1 * (i - 5));
      }
    }

    /** Back-propagates sum(x W + b) for x = rows of (1, 2, 3) scaled by {@code s}. */
    void backward(double s) {
      DataType type = w.data().dataType();
      INDArray x = Nd4j.create(new double[][] {{s, 2 * s, 3 * s}, {-s, 0.5, 1}}).castTo(type);
      Variable y = SparseFunctions.linear(Variable.of(x, false), w.variable(), b.variable());
      y.backward(y.data().like().assign(1));
    }
  }

  @Test
  void theLedgerCountsParametersGradientsAndAdamState() {
    Dense m = new Dense(DataType.FLOAT);
    Adam adam = new Adam(m, 0.01, true);
    long paramBytes = (12 + 4) * 4;
    assertEquals(paramBytes, adam.memory().current(MemoryCategory.PARAMETERS));
    assertEquals(0, adam.memory().current(MemoryCategory.GRADIENTS));
    assertEquals(0, adam.memory().current(MemoryCategory.OPTIMIZER_STATE));
    for (int step = 0; step < 3; step++) {
      adam.zeroGrad();
      m.backward(1 + step);
      adam.step();
    }
    assertEquals(paramBytes, adam.memory().current(MemoryCategory.GRADIENTS), "one gradient per parameter, kept");
    // exp_avg, exp_avg_sq and max_exp_avg_sq per parameter (the step counters are Java longs, not buffers)
    assertEquals(3 * paramBytes, adam.memory().current(MemoryCategory.OPTIMIZER_STATE));
    assertEquals(5 * paramBytes, adam.memory().peakTotal(), "state does not grow from step to step");
  }

  @Test
  void gradientsAreAllocatedOnceAndClearedByZeroGrad() {
    Dense m = new Dense(DataType.DOUBLE);
    m.backward(1);
    INDArray first = m.w.grad();
    assertNotNull(first);
    double[] once = first.dup().reshape(12).toDoubleVector();
    m.backward(1);
    assertEquals(2 * once[0], m.w.grad().getDouble(0), 1e-12, "without zeroGrad gradients add up");
    m.zeroGrad();
    assertNull(m.w.grad(), "zeroGrad clears the gradient");
    m.backward(1);
    assertSame(first, m.w.grad(), "the next backward pass writes into the same array");
    assertEquals(once[0], m.w.grad().getDouble(0), 1e-12, "and holds this pass's gradient only");
  }

  @Test
  void floatParametersFollowTheDoubleRule() {
    Dense f = new Dense(DataType.FLOAT);
    Dense d = new Dense(DataType.DOUBLE);
    Optimizer[] fo = {Adam.adamW(f, 0.05, 0.1, true), new Sgd(f, 0.05, 0.9, true, 0.01)};
    Optimizer[] dop = {Adam.adamW(d, 0.05, 0.1, true), new Sgd(d, 0.05, 0.9, true, 0.01)};
    for (int k = 0; k < 2; k++) {
      for (int step = 0; step < 4; step++) {
        f.zeroGrad();
        d.zeroGrad();
        f.backward(step - 1.5);
        d.backward(step - 1.5);
        fo[k].step();
        dop[k].step();
      }
      for (int i = 0; i < 12; i++) {
        assertEquals(d.w.data().getDouble(i), f.w.data().getDouble(i), 1e-5, fo[k].kind() + " weight " + i);
      }
    }
  }
}
