package org.jsparse.core.backend.cpu;

import org.jsparse.core.backend.DropoutMask;
import org.jsparse.core.backend.PointwiseFunction;

/**
 * Element loops of the CPU backend over matrices in place, in their own type (a FLOAT matrix is
 * read and written as float; sums accumulate in double). Each loop reads its inputs where they
 * are and writes only its output.
 */
final class CpuKernels {
  private CpuKernels() {}

  static double load(HostMatrix m, long i) {
    return m.elementBytes() == 4 ? OffHeap.getFloat(m.address + i * 4) : OffHeap.getDouble(m.address + i * 8);
  }

  static void store(HostMatrix m, long i, double v) {
    if (m.elementBytes() == 4) {
      OffHeap.putFloat(m.address + i * 4, (float) v);
    } else {
      OffHeap.putDouble(m.address + i * 8, v);
    }
  }

  static long length(HostMatrix m) {
    return (long) m.rows * m.cols;
  }

  static void sameShape(HostMatrix a, HostMatrix b, String op) {
    if (a.rows != b.rows || a.cols != b.cols || a.elementBytes() != b.elementBytes()) {
      throw new IllegalArgumentException(op + ": buffers differ: [" + a.rows + ", " + a.cols + "] " + a.dataType()
          + " and [" + b.rows + ", " + b.cols + "] " + b.dataType());
    }
  }

  static void pointwise(PointwiseFunction f, HostMatrix x, HostMatrix y) {
    sameShape(x, y, "pointwise");
    long n = length(x);
    switch (f.kind()) {
      case RELU -> {
        for (long i = 0; i < n; i++) {
          double v = load(x, i);
          store(y, i, v > 0 ? v : 0);
        }
      }
      default -> {
        for (long i = 0; i < n; i++) {
          store(y, i, f.value(load(x, i)));
        }
      }
    }
  }

  static void pointwiseBackward(PointwiseFunction f, HostMatrix g, HostMatrix value, boolean atOutput, HostMatrix out) {
    sameShape(g, value, "pointwise backward");
    sameShape(g, out, "pointwise backward");
    long n = length(g);
    if (f.kind() == PointwiseFunction.Kind.RELU) {
      for (long i = 0; i < n; i++) {
        store(out, i, load(value, i) > 0 ? load(g, i) : 0);
      }
      return;
    }
    for (long i = 0; i < n; i++) {
      double v = load(value, i);
      store(out, i, load(g, i) * (atOutput ? f.derivativeAtOutput(v) : f.derivativeAtInput(v)));
    }
  }

  static void add(HostMatrix a, HostMatrix b, double beta, HostMatrix out) {
    sameShape(a, b, "add");
    sameShape(a, out, "add");
    long n = length(a);
    for (long i = 0; i < n; i++) {
      store(out, i, load(a, i) + beta * load(b, i));
    }
  }

  static void multiply(HostMatrix a, HostMatrix b, HostMatrix out) {
    sameShape(a, b, "multiply");
    sameShape(a, out, "multiply");
    long n = length(a);
    for (long i = 0; i < n; i++) {
      store(out, i, load(a, i) * load(b, i));
    }
  }

  static void scale(HostMatrix a, double s, HostMatrix out) {
    sameShape(a, out, "scale");
    long n = length(a);
    for (long i = 0; i < n; i++) {
      store(out, i, s * load(a, i));
    }
  }

  static void dropout(HostMatrix x, long seed, double p, HostMatrix out) {
    sameShape(x, out, "dropout");
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
    }
    long key = DropoutMask.key(seed);
    double scale = 1 / (1 - p);
    long n = length(x);
    for (long i = 0; i < n; i++) {
      store(out, i, DropoutMask.dropped(key, i, p) ? 0 : scale * load(x, i));
    }
  }

  static void addRowVector(HostMatrix v, HostMatrix out) {
    if (v.rows * v.cols != out.cols) {
      throw new IllegalArgumentException("row vector of " + (v.rows * v.cols) + " for " + out.cols + " columns");
    }
    int c = out.cols;
    for (long r = 0; r < out.rows; r++) {
      for (int j = 0; j < c; j++) {
        store(out, r * c + j, load(out, r * c + j) + load(v, j));
      }
    }
  }

  static void columnSums(HostMatrix x, double[] sums) {
    int c = x.cols;
    java.util.Arrays.fill(sums, 0);
    for (long r = 0; r < x.rows; r++) {
      for (int j = 0; j < c; j++) {
        sums[j] += load(x, r * c + j);
      }
    }
  }

  static boolean[] greaterThan(HostMatrix x, double threshold) {
    boolean[] out = new boolean[Math.toIntExact(length(x))];
    for (int e = 0; e < out.length; e++) {
      out[e] = load(x, e) > threshold;
    }
    return out;
  }

  /** Per element {@code max(z, 0) - z t + log(1 + e^-|z|)}, summed in element order. */
  static double bceWithLogitsSum(HostMatrix z, int[] positives) {
    boolean[] label = labels(z, positives);
    double sum = 0;
    for (int e = 0; e < label.length; e++) {
      double v = load(z, e);
      sum += Math.max(v, 0) - (label[e] ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }
    return sum;
  }

  static void bceWithLogitsBackward(HostMatrix z, int[] positives, double scale, HostMatrix gradIn) {
    boolean[] label = labels(z, positives);
    if (length(gradIn) != label.length) {
      throw new IllegalArgumentException("the logits' gradient needs " + label.length + " elements, got " + length(gradIn));
    }
    for (int e = 0; e < label.length; e++) {
      store(gradIn, e, scale * (PointwiseFunction.sigmoid(load(z, e)) - (label[e] ? 1 : 0)));
    }
  }

  private static boolean[] labels(HostMatrix z, int[] positives) {
    boolean[] label = new boolean[Math.toIntExact(length(z))];
    for (int e : positives) {
      if (e < 0 || e >= label.length) {
        throw new IllegalArgumentException("positive label at element " + e + " of logits with " + label.length + " elements");
      }
      label[e] = true;
    }
    return label;
  }

  static void copyColumns(HostMatrix src, int srcColumn, HostMatrix dst, int dstColumn, int width) {
    if (src.rows != dst.rows || srcColumn + width > src.cols || dstColumn + width > dst.cols) {
      throw new IllegalArgumentException("column copy out of range");
    }
    long e = src.elementBytes();
    for (long r = 0; r < src.rows; r++) {
      OffHeap.copy(src.address + (r * src.cols + srcColumn) * e, dst.address + (r * dst.cols + dstColumn) * e, width * e);
    }
  }

  static void groupMoments(HostMatrix x, int[] group, int groups, double[] mean, double[] var, int[] count) {
    int c = x.cols;
    java.util.Arrays.fill(mean, 0);
    java.util.Arrays.fill(var, 0);
    java.util.Arrays.fill(count, 0);
    for (int r = 0; r < x.rows; r++) {
      count[(group == null ? 0 : group[r])]++;
      int s = (group == null ? 0 : group[r]) * c;
      for (int ch = 0; ch < c; ch++) {
        mean[s + ch] += load(x, (long) r * c + ch);
      }
    }
    for (int i = 0; i < groups * c; i++) {
      mean[i] /= Math.max(1, count[i / c]);
    }
    for (int r = 0; r < x.rows; r++) {
      int s = (group == null ? 0 : group[r]) * c;
      for (int ch = 0; ch < c; ch++) {
        double d = load(x, (long) r * c + ch) - mean[s + ch];
        var[s + ch] += d * d;
      }
    }
    for (int i = 0; i < groups * c; i++) {
      var[i] /= Math.max(1, count[i / c]);
    }
  }

  static void normalize(HostMatrix x, int[] group, double[] mean, double[] invStd, double[] gamma, double[] beta,
      HostMatrix y) {
    sameShape(x, y, "normalize");
    int c = x.cols;
    for (int r = 0; r < x.rows; r++) {
      int s = (group == null ? 0 : group[r]) * c;
      for (int ch = 0; ch < c; ch++) {
        long i = (long) r * c + ch;
        double xhat = (load(x, i) - mean[s + ch]) * invStd[s + ch];
        store(y, i, xhat * (gamma == null ? 1 : gamma[ch]) + (beta == null ? 0 : beta[ch]));
      }
    }
  }

  static void normalizeBackward(HostMatrix g, HostMatrix x, int[] group, int groups, double[] mean, double[] invStd,
      double[] gamma, int[] count, HostMatrix out, double[] dGamma, double[] dBeta) {
    sameShape(g, x, "normalize backward");
    sameShape(g, out, "normalize backward");
    int c = x.cols;
    int n = x.rows;
    if (dGamma != null) {
      java.util.Arrays.fill(dGamma, 0);
      java.util.Arrays.fill(dBeta, 0);
    }
    double[] meanD = count == null ? null : new double[groups * c];
    double[] meanDx = count == null ? null : new double[groups * c];
    for (int r = 0; r < n; r++) {
      int s = (group == null ? 0 : group[r]) * c;
      for (int ch = 0; ch < c; ch++) {
        long i = (long) r * c + ch;
        double go = load(g, i);
        double xhat = (load(x, i) - mean[s + ch]) * invStd[s + ch];
        if (dGamma != null) {
          dGamma[ch] += go * xhat;
          dBeta[ch] += go;
        }
        if (count != null) {
          double d = go * (gamma == null ? 1 : gamma[ch]);
          meanD[s + ch] += d;
          meanDx[s + ch] += d * xhat;
        }
      }
    }
    if (count != null) {
      for (int i = 0; i < groups * c; i++) {
        meanD[i] /= Math.max(1, count[i / c]);
        meanDx[i] /= Math.max(1, count[i / c]);
      }
    }
    for (int r = 0; r < n; r++) {
      int s = (group == null ? 0 : group[r]) * c;
      for (int ch = 0; ch < c; ch++) {
        long i = (long) r * c + ch;
        double d = load(g, i) * (gamma == null ? 1 : gamma[ch]);
        if (count == null) {
          store(out, i, d * invStd[s + ch]);
        } else {
          double xhat = (load(x, i) - mean[s + ch]) * invStd[s + ch];
          store(out, i, invStd[s + ch] * (d - meanD[s + ch] - xhat * meanDx[s + ch]));
        }
      }
    }
  }
}
