package org.jsparse.cuda;

import org.jsparse.core.kmap.KernelMap;

/**
 * Plain-Java loops over host arrays, in double: the independent reference the CUDA backend is
 * checked against on a machine that has no ND4J native library (the GPU machine). Matrices are
 * row-major {@code [rows, cols]}; weights {@code [K*Cin, Cout]}.
 */
final class HostReference {
  private HostReference() {}

  /** Pairs of a full (expanded) map, offset by offset: {@code pairs[k] = {ins, outs}}. */
  static int[][][] pairs(KernelMap full) {
    int[][][] p = new int[full.volume()][2][];
    for (int k = 0; k < full.volume(); k++) {
      int n = full.pairCount(k);
      p[k][0] = new int[n];
      p[k][1] = new int[n];
      for (int i = 0; i < n; i++) {
        p[k][0][i] = full.inRow(full.start(k) + i);
        p[k][1][i] = full.outRow(full.start(k) + i);
      }
    }
    return p;
  }

  static void convolution(int[][][] pairs, double[] x, int cin, double[] w, double[] y, int cout) {
    for (int k = 0; k < pairs.length; k++) {
      for (int p = 0; p < pairs[k][0].length; p++) {
        int i = pairs[k][0][p];
        int o = pairs[k][1][p];
        for (int c = 0; c < cout; c++) {
          double s = 0;
          for (int j = 0; j < cin; j++) {
            s += x[i * cin + j] * w[(k * cin + j) * cout + c];
          }
          y[o * cout + c] += s;
        }
      }
    }
  }

  static void convolutionBackwardInput(int[][][] pairs, double[] g, int cout, double[] w, double[] gin, int cin) {
    for (int k = 0; k < pairs.length; k++) {
      for (int p = 0; p < pairs[k][0].length; p++) {
        int i = pairs[k][0][p];
        int o = pairs[k][1][p];
        for (int j = 0; j < cin; j++) {
          double s = 0;
          for (int c = 0; c < cout; c++) {
            s += g[o * cout + c] * w[(k * cin + j) * cout + c];
          }
          gin[i * cin + j] += s;
        }
      }
    }
  }

  static void convolutionBackwardWeight(int[][][] pairs, double[] x, int cin, double[] g, int cout, double[] gw) {
    for (int k = 0; k < pairs.length; k++) {
      for (int p = 0; p < pairs[k][0].length; p++) {
        int i = pairs[k][0][p];
        int o = pairs[k][1][p];
        for (int j = 0; j < cin; j++) {
          for (int c = 0; c < cout; c++) {
            gw[(k * cin + j) * cout + c] += x[i * cin + j] * g[o * cout + c];
          }
        }
      }
    }
  }

  /** out[o, c] += w[k, c] in[i, c] (forward) or gin[i, c] += w[k, c] g[o, c] (backward input, {@code reverse}). */
  static void channelwise(int[][][] pairs, double[] src, double[] w, double[] dst, int c, boolean reverse) {
    for (int k = 0; k < pairs.length; k++) {
      for (int p = 0; p < pairs[k][0].length; p++) {
        int s = pairs[k][reverse ? 1 : 0][p];
        int d = pairs[k][reverse ? 0 : 1][p];
        for (int ch = 0; ch < c; ch++) {
          dst[d * c + ch] += w[k * c + ch] * src[s * c + ch];
        }
      }
    }
  }

  static void channelwiseBackwardWeight(int[][][] pairs, double[] x, double[] g, int c, double[] gw) {
    for (int k = 0; k < pairs.length; k++) {
      for (int p = 0; p < pairs[k][0].length; p++) {
        for (int ch = 0; ch < c; ch++) {
          gw[k * c + ch] += x[pairs[k][0][p] * c + ch] * g[pairs[k][1][p] * c + ch];
        }
      }
    }
  }

  /** Max pooling into a zeroed y; argmax (pre-filled -1) gets the winning input row, ties to the earlier pair. */
  static void poolMax(int[][][] pairs, double[] x, int c, double[] y, int[] argmax) {
    for (int[][] offset : pairs) {
      for (int p = 0; p < offset[0].length; p++) {
        for (int ch = 0; ch < c; ch++) {
          int o = offset[1][p] * c + ch;
          double v = x[offset[0][p] * c + ch];
          if (argmax[o] < 0 || v > y[o]) {
            y[o] = v;
            argmax[o] = offset[0][p];
          }
        }
      }
    }
  }

  /** Sum pooling ({@code counts} null) or average (weights 1 / counts[output row]), forward or backward. */
  static void poolSum(int[][][] pairs, double[] src, int c, int[] counts, double[] dst, boolean backward) {
    for (int[][] offset : pairs) {
      for (int p = 0; p < offset[0].length; p++) {
        int in = offset[0][p];
        int out = offset[1][p];
        double weight = counts == null ? 1 : 1.0 / counts[out];
        int s = backward ? out : in;
        int d = backward ? in : out;
        for (int ch = 0; ch < c; ch++) {
          dst[d * c + ch] += weight * src[s * c + ch];
        }
      }
    }
  }

  /** C = op(A) op(B) + beta C with op(A) m x k. */
  static void gemm(double[] a, int aCols, boolean ta, double[] b, int bCols, boolean tb, double beta, double[] c,
      int m, int n, int k) {
    for (int r = 0; r < m; r++) {
      for (int col = 0; col < n; col++) {
        double s = 0;
        for (int j = 0; j < k; j++) {
          double av = ta ? a[j * aCols + r] : a[r * aCols + j];
          double bv = tb ? b[col * bCols + j] : b[j * bCols + col];
          s += av * bv;
        }
        c[r * n + col] = s + beta * c[r * n + col];
      }
    }
  }
}
