package org.jsparse.nn.functional;

import java.util.Arrays;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.DenseOutputNode;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Losses: each returns a {@code [1, 1]} value to call {@code backward()} on. */
public final class Losses {
  private Losses() {}

  /**
   * Mean squared error between {@code x} and a target of the same shape. A sparse {@code x} is
   * compared on its backend (the target goes there; on a GPU neither x nor its gradient visit the
   * host).
   */
  public static Variable mse(Variable x, INDArray target) {
    requireSameShape(x, target, "mse");
    if (x.tensor() != null) {
      return sparseMse(x, target);
    }
    double[] p = Matrices.values(x.data());
    double[] t = Matrices.values(target);
    double[] d = new double[p.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      d[i] = p[i] - t[i];
      sum += d[i] * d[i];
    }
    int n = p.length;
    return scalar(x, sum / n, g -> scaled(d, 2.0 * g / n, x));
  }

  private static Variable sparseMse(Variable x, INDArray target) {
    SparseTensor xt = x.tensor();
    Backend be = xt.manager().backend();
    MemoryLedger ledger = xt.manager().memory();
    INDArray t = target.dataType() == xt.dataType() ? target : target.castTo(xt.dataType());
    long n = (long) xt.size() * xt.channels();
    double[] sums = new double[xt.channels()];
    try (Buffer tb = be.borrow(t, xt.size());
        Buffer squares = be.zeros(ledger, MemoryCategory.WORKSPACE, "mse", xt.dataType(), xt.size(), xt.channels())) {
      be.add(xt.buffer(), tb, -1, squares);
      be.multiply(squares, squares, squares);
      be.columnSums(squares, sums);
    }
    double sum = 0;
    for (double v : sums) {
      sum += v;
    }
    Node node = new DenseOutputNode(x) {
      {
        readsInBackward(x);
      }

      /** {@code 2 g (x - t) / n}. */
      @Override
      protected Buffer[] backwardToBuffers(INDArray g) {
        Buffer grad = be.zeros(null, null, "gradient", xt.dataType(), xt.size(), xt.channels());
        try (Buffer tb = be.borrow(t, xt.size())) {
          be.add(xt.buffer(), tb, -1, grad);
        }
        be.scale(grad, 2.0 * g.getDouble(0) / n, grad);
        return new Buffer[] {grad};
      }
    };
    return Variables.result(lossValue(xt.dataType(), sum / n), node);
  }

  /**
   * Binary cross-entropy on logits, averaged over all entries: {@code max(z,0) - z t + log(1 + e^-|z|)},
   * stable for any logit. Labels are in [0, 1], same shape as the logits.
   */
  public static Variable bceWithLogits(Variable logits, INDArray labels) {
    requireSameShape(logits, labels, "binary cross-entropy");
    double[] z = Matrices.values(logits.data());
    double[] t = Matrices.values(labels);
    double sum = 0;
    double[] d = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      if (!(t[i] >= 0 && t[i] <= 1)) {
        throw new IllegalArgumentException("binary cross-entropy labels must be in [0, 1], entry " + i + " is " + t[i]);
      }
      sum += Math.max(z[i], 0) - z[i] * t[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
      d[i] = Activations.sigmoid(z[i]) - t[i];
    }
    int n = z.length;
    return scalar(logits, sum / n, g -> scaled(d, g / n, logits));
  }

  /**
   * {@link #bceWithLogits} against a sparse target: label 1 where the target is occupied at the
   * logits' stride. Runs on the logits' backend where they are (on a GPU neither the logits nor
   * their gradient visit the host; the positive rows go there) and keeps only the positive rows
   * (an int each, counted as saved for backward) for the backward pass, which recomputes
   * {@code sigmoid(z) - t} from the logits the graph keeps anyway.
   */
  public static Variable bceWithLogits(Variable logits, SparseTensor target) {
    SparseTensor pred = SparseFunctions.requireSparse(logits, "binary cross-entropy");
    requireOneChannel(pred, "binary cross-entropy against a sparse target");
    if (pred.size() == 0) {
      throw new IllegalArgumentException("binary cross-entropy of an empty prediction: there is no site to average over");
    }
    int[] positives = SparseTargets.positives(pred, target);
    Backend be = pred.manager().backend();
    int n = pred.size();
    double loss = be.bceWithLogitsSum(pred.buffer(), positives, pred.manager().memory()) / n;
    Node node = new DenseOutputNode(logits) {
      {
        readsInBackward(logits);
        save(pred.manager().memory(), 4L * positives.length);
      }

      @Override
      protected Buffer[] backwardToBuffers(INDArray g) {
        Buffer grad = be.zeros(null, null, "gradient", pred.dataType(), n, 1);
        be.bceWithLogitsBackward(pred.buffer(), positives, g.getDouble(0) / n, grad, pred.manager().memory());
        return new Buffer[] {grad};
      }
    };
    return Variables.result(lossValue(pred.dataType(), loss), node);
  }

  /**
   * Soft Dice loss {@code 1 - (2 sum p t + s) / (sum p + sum t + s)} between sparse probabilities
   * and a sparse target. The sums run over each tensor's own sites: a predicted site that the
   * target lacks adds its p to the denominator only, a target site the prediction lacks adds its
   * t. When the target is finer than the prediction it is floored to the prediction's stride and
   * counts as occupancy 1 per coarse site; at equal stride its single channel gives t (of the
   * prediction's data type). Runs on the prediction's backend with the seam's row and column ops:
   * on a GPU only the two sums and the alignment's rows cross, never a site-sized value.
   *
   * @param smooth the constant s (1 in the ULM code)
   */
  public static Variable softDice(Variable probabilities, SparseTensor target, double smooth) {
    SparseTensor pred = SparseFunctions.requireSparse(probabilities, "soft Dice");
    requireOneChannel(pred, "soft Dice prediction");
    requireOneChannel(target, "soft Dice target");
    KernelMap map = SparseTargets.alignment(pred, target);
    boolean sameStride = pred.tensorStride().equals(target.tensorStride());
    if (sameStride && target.dataType() != pred.dataType()) {
      throw new IllegalArgumentException("soft Dice target is " + target.dataType() + ", the prediction "
          + pred.dataType() + "; give the target the prediction's data type");
    }
    Backend be = pred.manager().backend();
    MemoryLedger ledger = pred.manager().memory();
    double intersection;
    double sumP;
    double sumT;
    try (Buffer t = targetAtPrediction(pred, target, map, sameStride);
        Buffer product = be.zeros(ledger, MemoryCategory.WORKSPACE, "soft Dice", pred.dataType(), pred.size(), 1)) {
      be.multiply(pred.buffer(), t, product);
      intersection = columnSum(be, product);
      sumP = columnSum(be, pred.buffer());
      sumT = sameStride ? columnSum(be, target.buffer()) : pred.manager().size(SparseTargets.targetAtStrideOf(pred, target));
    }
    double num = 2 * intersection + smooth;
    double den = sumP + sumT + smooth;
    Node node = new DenseOutputNode(probabilities) {
      {
        readsInBackward(probabilities);
      }

      /** {@code g * d(loss)/dp = a t + b}: {@code a = -2 g / den}, {@code b = g num / den^2}. */
      @Override
      protected Buffer[] backwardToBuffers(INDArray gradOut) {
        double g = gradOut.getDouble(0);
        Buffer grad = be.zeros(null, null, "gradient", pred.dataType(), pred.size(), 1);
        try (Buffer t = targetAtPrediction(pred, target, map, sameStride);
            Buffer b = be.upload(ledger, MemoryCategory.WORKSPACE, "soft Dice", constant(pred.dataType(), g * num / (den * den)), 1, 1)) {
          be.scale(t, -2 * g / den, grad);
          be.addRowVector(b, grad);
        }
        return new Buffer[] {grad};
      }
    };
    return Variables.result(lossValue(pred.dataType(), 1 - num / den), node);
  }

  /** The target's value at every prediction site, 0 where it has none: a WORKSPACE buffer the caller closes. */
  private static Buffer targetAtPrediction(SparseTensor pred, SparseTensor target, KernelMap map, boolean sameStride) {
    Backend be = pred.manager().backend();
    MemoryLedger ledger = pred.manager().memory();
    int pairs = map.pairCount();
    int[] predRows = new int[pairs];
    int[] targetRows = new int[pairs];
    for (int q = 0; q < pairs; q++) {
      predRows[q] = map.inRow(q);
      targetRows[q] = map.outRow(q);
    }
    Buffer t = be.zeros(ledger, MemoryCategory.WORKSPACE, "soft Dice", pred.dataType(), pred.size(), 1);
    if (pairs == 0) {
      return t;
    }
    try (Buffer matched = be.zeros(ledger, MemoryCategory.WORKSPACE, "soft Dice", pred.dataType(), pairs, 1)) {
      if (sameStride) {
        be.gatherRows(target.buffer(), targetRows, matched);
      } else {
        try (Buffer one = be.upload(ledger, MemoryCategory.WORKSPACE, "soft Dice", constant(pred.dataType(), 1), 1, 1)) {
          be.addRowVector(one, matched); // occupancy 1 per coarse target site
        }
      }
      be.scatterAddRows(matched, predRows, t, 1);
    }
    return t;
  }

  private static double columnSum(Backend be, Buffer x) {
    double[] sum = new double[1];
    be.columnSums(x, sum);
    return sum[0];
  }

  /** One value as the host array {@link Backend#upload} takes for {@code type}. */
  private static Object constant(DataType type, double v) {
    return type == DataType.DOUBLE ? new double[] {v} : new float[] {(float) v};
  }

  /**
   * Cross-entropy of logits {@code [N, K]} against class indices (one per row), averaged over
   * rows; softmax computed with the row maximum subtracted.
   */
  public static Variable crossEntropy(Variable logits, int[] classes) {
    INDArray z = logits.data();
    if (z.rank() != 2 || z.size(0) != classes.length) {
      throw new IllegalArgumentException(
          "cross-entropy needs logits [N, K] with N = " + classes.length + " labels, got " + Arrays.toString(z.shape()));
    }
    int n = classes.length;
    int k = (int) z.size(1);
    double[] v = Matrices.values(z);
    double[] d = new double[v.length];
    double sum = 0;
    for (int r = 0; r < n; r++) {
      if (classes[r] < 0 || classes[r] >= k) {
        throw new IllegalArgumentException("class label " + classes[r] + " at row " + r + " is outside [0, " + k + ")");
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, v[r * k + j]);
      }
      double z0 = 0;
      for (int j = 0; j < k; j++) {
        z0 += Math.exp(v[r * k + j] - max);
      }
      sum += Math.log(z0) + max - v[r * k + classes[r]];
      for (int j = 0; j < k; j++) {
        d[r * k + j] = Math.exp(v[r * k + j] - max) / z0 - (j == classes[r] ? 1 : 0);
      }
    }
    return scalar(logits, sum / n, g -> scaled(d, g / n, logits));
  }

  private interface ScalarBackward {
    INDArray gradient(double seed);
  }

  private static Variable scalar(Variable x, double value, ScalarBackward backward) {
    INDArray loss = lossValue(x.data().dataType(), value);
    Node node = new Node(x) {
      @Override
      protected INDArray[] backward(INDArray g) {
        return new INDArray[] {backward.gradient(g.getDouble(0))};
      }
    };
    return Variables.result(loss, node);
  }

  /** A loss's value: a {@code [1, 1]} array of the prediction's type. */
  private static INDArray lossValue(DataType type, double value) {
    return Nd4j.scalar(type, value).reshape(1, 1);
  }

  private static INDArray scaled(double[] d, double factor, Variable x) {
    double[] out = new double[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = d[i] * factor;
    }
    return Matrices.of(out, x.data().shape(), x.data().dataType());
  }

  private static void requireSameShape(Variable x, INDArray target, String loss) {
    if (!Arrays.equals(x.shape(), target.shape())) { // x's shape without reading x (no copy from a device)
      throw new IllegalArgumentException(
          loss + " target has shape " + Arrays.toString(target.shape()) + ", the prediction "
              + Arrays.toString(x.shape()));
    }
  }

  private static void requireOneChannel(SparseTensor t, String what) {
    if (t.channels() != 1) {
      throw new IllegalArgumentException(what + " must have 1 channel, got " + t.channels());
    }
  }
}
