package org.jsparse.nn.functional;

import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.ops.GlobalPooling;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch and instance normalization of sparse features: statistics over the active sites only
 * (empty sites are absent, not zeros), per channel; for instance norm per batch item and channel.
 * Variances are biased in the normalization and unbiased in batch norm's running estimate,
 * as in PyTorch and MinkowskiEngine.
 */
public final class Normalization {
  private Normalization() {}

  /**
   * Running statistics of a batch norm layer, updated in place by a training-mode call.
   *
   * @param mean {@code [C]}
   * @param variance {@code [C]}
   */
  public record RunningStats(INDArray mean, INDArray variance) {}

  /**
   * Batch norm. In training mode normalizes with the batch statistics and, when {@code running}
   * is not null, moves it toward them by {@code momentum}; in inference mode normalizes with
   * {@code running}. {@code gamma} and {@code beta} ({@code [C]}) may be null (no affine part).
   */
  public static Variable batchNorm(Variable x, Variable gamma, Variable beta, RunningStats running,
      boolean training, double momentum, double eps) {
    SparseFunctions.requireSparse(x, "batch norm");
    int n = (int) x.data().size(0);
    int c = (int) x.data().size(1);
    checkAffine(gamma, beta, c, "batch norm");
    if (training && n < 2) {
      throw new IllegalArgumentException(
          "batch norm in training mode needs more than one active site per channel, got " + n
              + "; use eval() for single-site inputs or instance norm");
    }
    if (training) {
      double[] mean = new double[c];
      double[] var = new double[c];
      int[] count = moments(Matrices.values(x.data()), new int[n], 1, c, mean, var);
      if (running != null) {
        updateRunning(running, mean, var, n, momentum);
      }
      return normalize(x, new int[n], 1, gamma, beta, eps, mean, var, count);
    }
    if (running == null) {
      throw new IllegalArgumentException("batch norm in inference mode needs running statistics");
    }
    return normalize(x, new int[n], 1, gamma, beta, eps, Matrices.values(running.mean()),
        Matrices.values(running.variance()), null);
  }

  /** Instance norm: each batch item's sites normalized per channel by their own statistics. */
  public static Variable instanceNorm(Variable x, Variable gamma, Variable beta, double eps) {
    int c = (int) SparseFunctions.requireSparse(x, "instance norm").channels();
    checkAffine(gamma, beta, c, "instance norm");
    Coordinates coords = x.tensor().coordinates();
    int[] group = new int[coords.size()];
    for (int r = 0; r < group.length; r++) {
      group[r] = coords.batch(r);
    }
    int groups = GlobalPooling.batchCount(x.tensor());
    double[] mean = new double[groups * c];
    double[] var = new double[groups * c];
    int[] count = moments(Matrices.values(x.data()), group, groups, c, mean, var);
    return normalize(x, group, groups, gamma, beta, eps, mean, var, count);
  }

  private static void checkAffine(Variable gamma, Variable beta, int c, String op) {
    for (Variable p : new Variable[] {gamma, beta}) {
      if (p != null && p.data().length() != c) {
        throw new IllegalArgumentException(
            op + " has " + p.data().length() + " affine parameters but the input has " + c
                + " channels; build the layer with " + c + " channels");
      }
    }
  }

  private static void updateRunning(RunningStats running, double[] mean, double[] var, int n, double momentum) {
    for (int ch = 0; ch < mean.length; ch++) {
      double unbiased = var[ch] * n / (n - 1);
      running.mean().putScalar(ch, (1 - momentum) * running.mean().getDouble(ch) + momentum * mean[ch]);
      running.variance().putScalar(ch, (1 - momentum) * running.variance().getDouble(ch) + momentum * unbiased);
    }
  }

  /** Per (group, channel) mean and biased variance. */
  private static int[] moments(double[] v, int[] group, int groups, int c, double[] mean, double[] var) {
    int[] count = new int[groups];
    for (int r = 0; r < group.length; r++) {
      count[group[r]]++;
      for (int ch = 0; ch < c; ch++) {
        mean[group[r] * c + ch] += v[r * c + ch];
      }
    }
    for (int i = 0; i < mean.length; i++) {
      mean[i] /= Math.max(1, count[i / c]);
    }
    for (int r = 0; r < group.length; r++) {
      for (int ch = 0; ch < c; ch++) {
        double d = v[r * c + ch] - mean[group[r] * c + ch];
        var[group[r] * c + ch] += d * d;
      }
    }
    for (int i = 0; i < var.length; i++) {
      var[i] /= Math.max(1, count[i / c]);
    }
    return count;
  }

  /**
   * Normalizes with the given per (group, channel) statistics: batch statistics when {@code count}
   * (sites per group) is given, so that backward differentiates through them; fixed (running)
   * statistics when it is null.
   */
  private static Variable normalize(Variable x, int[] group, int groups, Variable gamma, Variable beta, double eps,
      double[] mean, double[] var, int[] count) {
    int n = group.length;
    int c = (int) x.data().size(1);
    double[] v = Matrices.values(x.data());
    double[] invStd = new double[groups * c];
    for (int i = 0; i < invStd.length; i++) {
      invStd[i] = 1 / Math.sqrt(var[i] + eps);
    }
    double[] g = gamma == null ? null : Matrices.values(gamma.data());
    double[] b = beta == null ? null : Matrices.values(beta.data());
    double[] xhat = new double[v.length];
    double[] y = new double[v.length];
    for (int r = 0; r < n; r++) {
      for (int ch = 0; ch < c; ch++) {
        int s = group[r] * c + ch;
        xhat[r * c + ch] = (v[r * c + ch] - mean[s]) * invStd[s];
        y[r * c + ch] = xhat[r * c + ch] * (g == null ? 1 : g[ch]) + (b == null ? 0 : b[ch]);
      }
    }
    INDArray out = Matrices.of(y, x.data().shape(), x.data().dataType());
    Node node = null;
    if (!NoGrad.active()) {
      Variable[] inputs = gamma == null ? new Variable[] {x} : new Variable[] {x, gamma, beta};
      node = new Node(inputs) {
        {
          save(Matrices.ledger(x), (long) xhat.length * Double.BYTES);
        }

        @Override
        protected INDArray[] backward(INDArray gradOut) {
          double[] go = Matrices.values(gradOut);
          INDArray[] grads = new INDArray[inputs().length];
          if (gamma != null) {
            double[] dGamma = new double[c];
            double[] dBeta = new double[c];
            for (int i = 0; i < go.length; i++) {
              dGamma[i % c] += go[i] * xhat[i];
              dBeta[i % c] += go[i];
            }
            grads[1] = Matrices.of(dGamma, gamma.data().shape(), gamma.data().dataType());
            grads[2] = Matrices.of(dBeta, beta.data().shape(), beta.data().dataType());
          }
          if (needsGrad(0)) {
            grads[0] = Matrices.of(inputGradient(go), x.data().shape(), x.data().dataType());
          }
          return grads;
        }

        private double[] inputGradient(double[] go) {
          double[] dxhat = new double[go.length];
          for (int i = 0; i < go.length; i++) {
            dxhat[i] = go[i] * (g == null ? 1 : g[i % c]);
          }
          double[] dx = new double[go.length];
          if (count == null) {
            for (int r = 0; r < n; r++) {
              for (int ch = 0; ch < c; ch++) {
                dx[r * c + ch] = dxhat[r * c + ch] * invStd[ch];
              }
            }
            return dx;
          }
          double[] meanD = new double[groups * c];
          double[] meanDx = new double[groups * c];
          for (int r = 0; r < n; r++) {
            for (int ch = 0; ch < c; ch++) {
              int s = group[r] * c + ch;
              meanD[s] += dxhat[r * c + ch] / count[group[r]];
              meanDx[s] += dxhat[r * c + ch] * xhat[r * c + ch] / count[group[r]];
            }
          }
          for (int r = 0; r < n; r++) {
            for (int ch = 0; ch < c; ch++) {
              int s = group[r] * c + ch;
              int i = r * c + ch;
              dx[i] = invStd[s] * (dxhat[i] - meanD[s] - xhat[i] * meanDx[s]);
            }
          }
          return dx;
        }
      };
    }
    return Variables.result(x.tensor().withFeatures(out), node);
  }
}
