package org.jsparse.core.backend.cpu;

import static org.jsparse.core.backend.cpu.CpuKernels.length;
import static org.jsparse.core.backend.cpu.CpuKernels.load;
import static org.jsparse.core.backend.cpu.CpuKernels.sameShape;
import static org.jsparse.core.backend.cpu.CpuKernels.store;

import org.jsparse.core.backend.AdamStep;
import org.jsparse.core.backend.SgdStep;

/**
 * The optimizers' updates as one loop over a parameter and its state, in place: no temporary the
 * size of the parameter (each element is read once and written once, in double, stored in the
 * buffers' type).
 */
final class OptimizerKernels {
  private OptimizerKernels() {}

  static void adam(HostMatrix p, HostMatrix grad, HostMatrix m, HostMatrix v, HostMatrix vmax, AdamStep s) {
    sameShape(p, grad, "adam");
    sameShape(p, m, "adam");
    sameShape(p, v, "adam");
    if (vmax != null) {
      sameShape(p, vmax, "adam");
    }
    double b1 = s.beta1();
    double b2 = s.beta2();
    double lr = s.learningRate();
    double wd = s.weightDecay();
    double stepSize = lr / s.firstMomentCorrection();
    double bc2 = s.secondMomentCorrection();
    double decay = s.decoupled() ? 1 - lr * wd : 1;
    double l2 = s.decoupled() ? 0 : wd;
    long n = length(p);
    for (long i = 0; i < n; i++) {
      double pi = load(p, i) * decay;
      double g = load(grad, i) + l2 * pi;
      double mi = b1 * load(m, i) + (1 - b1) * g;
      double vi = b2 * load(v, i) + (1 - b2) * g * g;
      store(m, i, mi);
      store(v, i, vi);
      double second = vi;
      if (vmax != null) {
        second = Math.max(load(vmax, i), vi);
        store(vmax, i, second);
      }
      store(p, i, pi - stepSize * mi / (Math.sqrt(second / bc2) + s.eps()));
    }
  }

  static void sgd(HostMatrix p, HostMatrix grad, HostMatrix velocity, SgdStep s) {
    sameShape(p, grad, "sgd");
    if (velocity != null) {
      sameShape(p, velocity, "sgd");
    } else if (s.momentum() != 0) {
      throw new IllegalArgumentException("sgd with momentum " + s.momentum() + " needs a momentum buffer");
    }
    double mu = s.momentum();
    long n = length(p);
    for (long i = 0; i < n; i++) {
      double pi = load(p, i);
      double g = load(grad, i) + s.weightDecay() * pi;
      if (velocity != null) {
        double vi = s.firstStep() ? g : mu * load(velocity, i) + g;
        store(velocity, i, vi);
        g = s.nesterov() ? g + mu * vi : vi;
      }
      store(p, i, pi - s.learningRate() * g);
    }
  }
}
