package org.jsparse.nn.functional;

import org.jsparse.core.ops.GlobalPooling;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.BufferNode;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.buffer.DataType;
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
    return batchNorm(x, gamma, beta, running, training, momentum, eps, false);
  }

  /**
   * Batch norm that, with {@code recomputeInput} and an input that has a {@link Variable.Recipe}
   * (a convolution's result), frees its input's features after the forward pass and remakes them
   * for backward: one feature matrix less per conv-norm block for one more convolution forward in
   * backward. Only for an input nothing else reads afterwards (reading it then fails clearly).
   */
  public static Variable batchNorm(Variable x, Variable gamma, Variable beta, RunningStats running,
      boolean training, double momentum, double eps, boolean recomputeInput) {
    SparseFunctions.requireSparse(x, "batch norm");
    int n = (int) x.shape()[0];
    int c = (int) x.shape()[1];
    checkAffine(gamma, beta, c, "batch norm");
    if (training && n < 2) {
      throw new IllegalArgumentException(
          "batch norm in training mode needs more than one active site per channel, got " + n
              + "; use eval() for single-site inputs or instance norm");
    }
    if (training) {
      double[] mean = new double[c];
      double[] var = new double[c];
      int[] count = new int[1];
      backend(x).groupMoments(x.tensor().buffer(), null, 1, mean, var, count);
      if (running != null) {
        updateRunning(running, mean, var, n, momentum);
      }
      return normalize(x, null, 1, gamma, beta, eps, mean, var, count, recomputeInput);
    }
    if (running == null) {
      throw new IllegalArgumentException("batch norm in inference mode needs running statistics");
    }
    return normalize(x, null, 1, gamma, beta, eps, Matrices.values(running.mean()),
        Matrices.values(running.variance()), null, false);
  }

  /** Instance norm: each batch item's sites normalized per channel by their own statistics. */
  public static Variable instanceNorm(Variable x, Variable gamma, Variable beta, double eps) {
    int c = (int) SparseFunctions.requireSparse(x, "instance norm").channels();
    checkAffine(gamma, beta, c, "instance norm");
    int[] group = x.tensor().manager().batchIndices(x.tensor().key());
    int groups = GlobalPooling.batchCount(x.tensor());
    double[] mean = new double[groups * c];
    double[] var = new double[groups * c];
    int[] count = new int[groups];
    backend(x).groupMoments(x.tensor().buffer(), group, groups, mean, var, count);
    return normalize(x, group, groups, gamma, beta, eps, mean, var, count, false);
  }

  private static void checkAffine(Variable gamma, Variable beta, int c, String op) {
    for (Variable p : new Variable[] {gamma, beta}) {
      if (p != null && p.length() != c) {
        throw new IllegalArgumentException(
            op + " has " + p.length() + " affine parameters but the input has " + c
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

  private static Backend backend(Variable x) {
    return x.tensor().manager().backend();
  }

  /**
   * Normalizes with the given per (group, channel) statistics: batch statistics when {@code count}
   * (sites per group) is given, so that backward differentiates through them; fixed (running)
   * statistics when it is null.
   */
  private static Variable normalize(Variable x, int[] group, int groups, Variable gamma, Variable beta, double eps,
      double[] mean, double[] var, int[] count, boolean recomputeInput) {
    Backend backend = backend(x);
    double[] invStd = new double[var.length];
    for (int i = 0; i < invStd.length; i++) {
      invStd[i] = 1 / Math.sqrt(var[i] + eps);
    }
    double[] g = gamma == null ? null : Elementwise.hostValues(gamma);
    double[] b = beta == null ? null : Elementwise.hostValues(beta);
    Buffer out = Elementwise.newLike(backend, x, "normalization");
    backend.normalize(x.tensor().buffer(), group, mean, invStd, g, b, out);
    Node node = null;
    boolean recording = !NoGrad.active()
        && (x.requiresGrad() || (gamma != null && (gamma.requiresGrad() || beta.requiresGrad())));
    Variable.Recipe recipe = recomputeInput && recording && x.isOpResult() ? x.recipe() : null;
    if (recording) {
      Variable[] inputs = gamma == null ? new Variable[] {x} : new Variable[] {x, gamma, beta};
      node = new BufferNode(inputs) {
        {
          if (recipe == null) {
            readsInBackward(x); // xhat is recomputed from the input: nothing feature-sized is saved
          } else {
            readsInBackward(recipe.source()); // the input is remade from the convolution's input
          }
          outputNotReadInBackward();
        }

        @Override
        protected Buffer[] backwardBuffers(Buffer gradOut) {
          Buffer[] grads = new Buffer[inputs().length];
          int c = (int) gradOut.cols();
          double[] dGamma = gamma == null ? null : new double[c];
          double[] dBeta = gamma == null ? null : new double[c];
          SparseTensor input = recipe == null ? x.tensor() : recipe.remake();
          try {
            backend.normalizeBackward(gradOut, input.buffer(), group, groups, mean, invStd, g, count, gradOut, dGamma,
                dBeta);
          } finally {
            if (recipe != null) {
              input.close();
            }
          }
          if (gamma != null) {
            grads[1] = Elementwise.vector(backend, dGamma, gamma.dataType());
            grads[2] = Elementwise.vector(backend, dBeta, beta.dataType());
          }
          grads[0] = needsGrad(0) ? gradOut : null;
          return grads;
        }
      };
    }
    Variable y = Elementwise.result(x, out, node);
    if (recipe != null) {
      x.tensor().close(); // remade for backward from the convolution's input
    }
    return y;
  }
}
