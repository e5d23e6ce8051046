package org.jsparse.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jsparse.nn.Module;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.SparseFunctions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Optimizer steps against scalar references written from the papers' update rules. */
class OptimizerTest {
  /** One DOUBLE scalar parameter. */
  private static final class Scalar extends Module {
    final Parameter p = parameter("p", Parameter.Role.WEIGHT, DataType.DOUBLE, 1, 1);

    Scalar(double v) {
      p.data().putScalar(0, v);
    }

    void setGrad(double g) {
      p.zeroGrad();
      // y = g * p, so dy/dp = g
      Variable x = Variable.of(Nd4j.create(new double[][] {{g}}), false);
      SparseFunctions.linear(x, p.variable(), null).backward();
    }
  }

  @Test
  void sgdWithMomentumNesterovAndWeightDecay() {
    double lr = 0.1;
    double mu = 0.9;
    double wd = 0.01;
    double[] grads = {1.0, -0.5, 0.25};
    for (boolean nesterov : new boolean[] {false, true}) {
      Scalar m = new Scalar(2.0);
      Sgd sgd = new Sgd(m, lr, mu, nesterov, wd);
      double p = 2.0;
      double v = 0;
      for (int t = 0; t < grads.length; t++) {
        m.setGrad(grads[t]);
        sgd.step();
        double g = grads[t] + wd * p;
        v = t == 0 ? g : mu * v + g;
        p -= lr * (nesterov ? g + mu * v : v);
        assertEquals(p, m.p.data().getDouble(0), 1e-15, "nesterov=" + nesterov + " step " + t);
      }
    }
  }

  @Test
  void adamAdamWAndAmsgrad() {
    double lr = 0.01;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double wd = 0.1;
    double[] grads = {1.0, 0.1, -2.0, 0.05};
    for (boolean decoupled : new boolean[] {false, true}) {
      for (boolean ams : new boolean[] {false, true}) {
        Scalar m = new Scalar(1.5);
        Adam adam = new Adam(m, lr, b1, b2, eps, wd, decoupled, ams);
        double p = 1.5;
        double mm = 0;
        double vv = 0;
        double vmax = 0;
        for (int t = 1; t <= grads.length; t++) {
          m.setGrad(grads[t - 1]);
          adam.step();
          double g = grads[t - 1];
          if (decoupled) {
            p *= 1 - lr * wd;
          } else {
            g += wd * p;
          }
          mm = b1 * mm + (1 - b1) * g;
          vv = b2 * vv + (1 - b2) * g * g;
          vmax = Math.max(vmax, vv);
          double second = ams ? vmax : vv;
          p -= lr * (mm / (1 - Math.pow(b1, t))) / (Math.sqrt(second / (1 - Math.pow(b2, t))) + eps);
          assertEquals(p, m.p.data().getDouble(0), 1e-14, "adamw=" + decoupled + " amsgrad=" + ams + " t=" + t);
        }
      }
    }
  }

  @Test
  void schedules() {
    LrSchedule ms = LrSchedule.multiStep(new int[] {15, 45}, 0.1);
    assertEquals(0.1, ms.learningRate(0.1, 14), 1e-15);
    assertEquals(0.01, ms.learningRate(0.1, 15), 1e-15);
    assertEquals(0.001, ms.learningRate(0.1, 60), 1e-15);
    LrSchedule cos = LrSchedule.cosine(10, 0.0);
    assertEquals(1.0, cos.learningRate(1.0, 0), 1e-15);
    assertEquals(0.5, cos.learningRate(1.0, 5), 1e-12);
    assertEquals(0.0, cos.learningRate(1.0, 10), 1e-15);
    Scalar m = new Scalar(0);
    Sgd sgd = new Sgd(m, 0.1);
    LrScheduler s = new LrScheduler(sgd, ms);
    for (int e = 0; e < 15; e++) {
      s.step();
    }
    assertEquals(0.01, sgd.learningRate(), 1e-15);
  }

  @Test
  void badSettingsAreRejected() {
    Scalar m = new Scalar(0);
    assertThrows(IllegalArgumentException.class, () -> new Sgd(m, -1));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(m, 0.1, 0, true, 0));
    assertThrows(IllegalArgumentException.class, () -> new Adam(m, 0.1, 1.0, 0.999, 1e-8, 0, false, false));
    assertThrows(IllegalArgumentException.class, () -> new Adam(m, 0.1, 0.9, 0.999, 0, 0, false, false));
  }
}
