package org.jsparse.nn.optim;

import org.jsparse.core.backend.Buffer;
import org.jsparse.core.backend.SgdStep;
import org.jsparse.nn.Module;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
 * with PyTorch's semantics: {@code g += wd p; v = mu v + g (v = g at the first step);
 * p -= lr (nesterov ? g + mu v : v)}.
 */
public final class Sgd extends Optimizer {
  private final double momentum;
  private final boolean nesterov;
  private final double weightDecay;

  public Sgd(Module module, double lr) {
    this(module, lr, 0, false, 0);
  }

  public Sgd(Module module, double lr, double momentum, boolean nesterov, double weightDecay) {
    super(module, lr);
    if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
      throw new IllegalArgumentException("SGD needs momentum in [0, 1) and weight decay >= 0");
    }
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
    }
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
  }

  @Override
  protected void update(Buffer p, Buffer grad, Slots slots) {
    boolean first = momentum != 0 && !slots.has("momentum");
    Buffer v = momentum == 0 ? null : slots.buffer("momentum", p);
    p.backend().sgdStep(p, grad, v, new SgdStep(learningRate(), momentum, nesterov, weightDecay, first));
  }

  @Override
  public String kind() {
    return "sgd";
  }
}
