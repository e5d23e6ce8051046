package org.jsparse.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite differences in double precision: checks an analytic gradient of the scalar
 * {@code loss(x)} at every entry of {@code x}.
 */
public final class GradientCheck {
  private GradientCheck() {}

  /**
   * @param x the point (DOUBLE); perturbed in place and restored
   * @param loss scalar function of x
   * @param analytic the gradient to check, same shape as x
   */
  public static void check(INDArray x, Function<INDArray, Double> loss, INDArray analytic, String what) {
    double eps = 1e-6;
    INDArray flat = x.reshape(x.length());
    INDArray g = analytic.reshape(analytic.length());
    assertEquals(x.length(), analytic.length(), what + ": gradient shape");
    double maxAbs = 0;
    for (long i = 0; i < flat.length(); i++) {
      double v = flat.getDouble(i);
      flat.putScalar(i, v + eps);
      double up = loss.apply(x);
      flat.putScalar(i, v - eps);
      double down = loss.apply(x);
      flat.putScalar(i, v);
      double numeric = (up - down) / (2 * eps);
      double a = g.getDouble(i);
      maxAbs = Math.max(maxAbs, Math.abs(a));
      assertEquals(numeric, a, 1e-6 * Math.max(1, Math.abs(numeric)), what + ": entry " + i);
    }
    assertTrue(maxAbs > 0, what + ": gradient is identically zero, the check would prove nothing");
  }

  /** {@code <a, b>} as a double. */
  public static double dot(INDArray a, INDArray b) {
    return a.mul(b).sumNumber().doubleValue();
  }
}
