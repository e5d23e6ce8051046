package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jsparse.core.backend.AdamStep;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.backend.SgdStep;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The CUDA backend's grouped normalization, optimizer steps and device memory (the ledger, the
 * device name, out-of-memory) against plain Java in double; the other seam ops are tested in
 * {@link CudaConvolutionTest}, {@link CudaElementwiseTest} and {@link CudaLossAndMaskTest}.
 */
@EnabledIf(value = "org.jsparse.cuda.GpuTestBase#gpuPresent", disabledReason = "no CUDA device here")
class CudaBackendTest extends GpuTestBase {
  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void groupedNormalizationForwardAndBackward(DataType t) {
    Random rnd = new Random(17);
    int rows = 900;
    int c = 5;
    int groups = 3;
    int[] group = new int[rows];
    for (int r = 0; r < rows; r++) {
      group[r] = rnd.nextInt(groups);
    }
    double[] x = rounded(random(rnd, (long) rows * c), t);
    double[] g = rounded(random(rnd, (long) rows * c), t);
    double[] gamma = random(rnd, c);
    double[] beta = random(rnd, c);
    double[] mean = new double[groups * c];
    double[] var = new double[groups * c];
    int[] count = new int[groups];
    try (Buffer xb = up(x, rows, c, t); Buffer gb = up(g, rows, c, t);
        Buffer y = gpu.zeros(ledger, MemoryCategory.FEATURES, "test", t, rows, c);
        Buffer gin = gpu.zeros(ledger, MemoryCategory.GRADIENTS, "test", t, rows, c)) {
      gpu.groupMoments(xb, group, groups, mean, var, count);
      double[] em = new double[groups * c];
      double[] ev = new double[groups * c];
      int[] ec = new int[groups];
      for (int r = 0; r < rows; r++) {
        ec[group[r]]++;
        for (int ch = 0; ch < c; ch++) {
          em[group[r] * c + ch] += x[r * c + ch];
        }
      }
      for (int i = 0; i < em.length; i++) {
        em[i] /= ec[i / c];
      }
      for (int r = 0; r < rows; r++) {
        for (int ch = 0; ch < c; ch++) {
          double d = x[r * c + ch] - em[group[r] * c + ch];
          ev[group[r] * c + ch] += d * d;
        }
      }
      for (int i = 0; i < ev.length; i++) {
        ev[i] /= ec[i / c];
      }
      assertArrayEquals(ec, count);
      assertArrayEquals(em, mean, 1e-9, "group means");
      assertArrayEquals(ev, var, 1e-9, "group variances");
      double[] invStd = new double[groups * c];
      for (int i = 0; i < invStd.length; i++) {
        invStd[i] = 1 / Math.sqrt(var[i] + 1e-5);
      }
      gpu.normalize(xb, group, mean, invStd, gamma, beta, y);
      double[] ey = new double[rows * c];
      double[] xhat = new double[rows * c];
      for (int r = 0; r < rows; r++) {
        for (int ch = 0; ch < c; ch++) {
          int s = group[r] * c + ch;
          xhat[r * c + ch] = (x[r * c + ch] - mean[s]) * invStd[s];
          ey[r * c + ch] = xhat[r * c + ch] * gamma[ch] + beta[ch];
        }
      }
      close(ey, y, t, "normalize");
      double[] dGamma = new double[c];
      double[] dBeta = new double[c];
      gpu.normalizeBackward(gb, xb, group, groups, mean, invStd, gamma, count, gin, dGamma, dBeta);
      double[] meanD = new double[groups * c];
      double[] meanDx = new double[groups * c];
      double[] edGamma = new double[c];
      double[] edBeta = new double[c];
      for (int r = 0; r < rows; r++) {
        for (int ch = 0; ch < c; ch++) {
          int s = group[r] * c + ch;
          double go = g[r * c + ch];
          edGamma[ch] += go * xhat[r * c + ch];
          edBeta[ch] += go;
          meanD[s] += go * gamma[ch] / count[group[r]];
          meanDx[s] += go * gamma[ch] * xhat[r * c + ch] / count[group[r]];
        }
      }
      double[] egin = new double[rows * c];
      for (int r = 0; r < rows; r++) {
        for (int ch = 0; ch < c; ch++) {
          int s = group[r] * c + ch;
          egin[r * c + ch] = invStd[s] * (g[r * c + ch] * gamma[ch] - meanD[s] - xhat[r * c + ch] * meanDx[s]);
        }
      }
      close(egin, gin, t, "normalize backward through the batch statistics");
      assertArrayEquals(edGamma, dGamma, 1e-8, "dGamma");
      assertArrayEquals(edBeta, dBeta, 1e-8, "dBeta");
      gpu.normalizeBackward(gb, xb, null, 1, new double[c], new double[] {1, 2, 3, 4, 5}, null, null, gin, null, null);
      double[] running = new double[rows * c];
      for (int i = 0; i < running.length; i++) {
        running[i] = g[i] * (1 + i % c);
      }
      close(running, gin, t, "normalize backward with running statistics, one group");
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void optimizerStepsFollowTheScalarRules(DataType t) {
    Random rnd = new Random(19);
    int n = 777;
    double[] p = rounded(random(rnd, n), t);
    double[] g = rounded(random(rnd, n), t);
    for (boolean amsgrad : new boolean[] {false, true}) {
      for (boolean decoupled : new boolean[] {false, true}) {
        AdamStep s = new AdamStep(1e-2, 0.9, 0.999, 1e-8, 0.01, decoupled, 3);
        double[] m0 = rounded(random(rnd, n), t);
        double[] v0 = rounded(random(rnd, n), t);
        for (int i = 0; i < n; i++) {
          v0[i] = Math.abs(v0[i]);
        }
        try (Buffer pb = up(p, n, 1, t); Buffer gb = up(g, n, 1, t); Buffer mb = up(m0, n, 1, t);
            Buffer vb = up(v0, n, 1, t); Buffer vmax = amsgrad ? up(v0, n, 1, t) : null) {
          gpu.adamStep(pb, gb, mb, vb, vmax, s);
          double[] ep = new double[n];
          for (int i = 0; i < n; i++) {
            double pi = p[i] * (decoupled ? 1 - s.learningRate() * s.weightDecay() : 1);
            double gi = g[i] + (decoupled ? 0 : s.weightDecay()) * pi;
            double mi = 0.9 * m0[i] + 0.1 * gi;
            double vi = 0.999 * v0[i] + 0.001 * gi * gi;
            double second = amsgrad ? Math.max(v0[i], vi) : vi;
            ep[i] = pi - s.learningRate() / s.firstMomentCorrection() * mi
                / (Math.sqrt(second / s.secondMomentCorrection()) + s.eps());
          }
          close(ep, pb, t, "adam amsgrad=" + amsgrad + " decoupled=" + decoupled);
        }
      }
    }
    for (boolean nesterov : new boolean[] {false, true}) {
      SgdStep s = new SgdStep(0.1, 0.9, nesterov, 0.01, false);
      double[] v0 = rounded(random(rnd, n), t);
      try (Buffer pb = up(p, n, 1, t); Buffer gb = up(g, n, 1, t); Buffer vb = up(v0, n, 1, t)) {
        gpu.sgdStep(pb, gb, vb, s);
        double[] ep = new double[n];
        for (int i = 0; i < n; i++) {
          double gi = g[i] + 0.01 * p[i];
          double vi = 0.9 * v0[i] + gi;
          ep[i] = p[i] - 0.1 * (nesterov ? gi + 0.9 * vi : vi);
        }
        close(ep, pb, t, "sgd nesterov=" + nesterov);
      }
    }
  }

  @Test
  void buffersAreCountedInTheLedgerWithTheDeviceNameAndOutOfMemorySaysHowMuch() {
    MemoryLedger own = new MemoryLedger(gpu.device());
    assertTrue(gpu.device().startsWith("cuda:0 ("), gpu.device());
    Buffer b = gpu.zeros(own, MemoryCategory.FEATURES, "test", DataType.FLOAT, 1000, 16);
    assertEquals(64_000, own.current(MemoryCategory.FEATURES));
    assertArrayEquals(new double[16_000], down(b), 0, "zeros are zeros");
    b.close();
    assertEquals(0, own.currentTotal());
    DeviceMemoryException e = assertThrows(DeviceMemoryException.class,
        () -> gpu.zeros(own, MemoryCategory.FEATURES, "too big", DataType.DOUBLE, 1L << 36, 1));
    assertTrue(e.getMessage().contains("asked for") && e.getMessage().contains("free"), e.getMessage());
    assertEquals(0, own.currentTotal(), "a refused allocation counts nothing");
    try (Buffer after = gpu.zeros(own, MemoryCategory.FEATURES, "test", DataType.FLOAT, 10, 10)) {
      assertEquals(100, down(after).length, "the backend works after an out-of-memory refusal");
    }
  }
}
