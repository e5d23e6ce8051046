package org.jsparse.nn.optim;

import org.jsparse.core.backend.AdamStep;
import org.jsparse.core.backend.Buffer;
import org.jsparse.nn.Module;

/**
 * Adam (Kingma and Ba) with bias correction, optional AMSGrad (the running maximum of the second
 * moment) and weight decay either as an L2 term in the gradient (Adam) or decoupled from it
 * (AdamW, Loshchilov and Hutter), as in PyTorch.
 */
public final class Adam extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;
  private final boolean amsgrad;

  /** Adam with betas (0.9, 0.999), eps 1e-8, no weight decay. */
  public Adam(Module module, double lr) {
    this(module, lr, 0.9, 0.999, 1e-8, 0, false, false);
  }

  /** Adam with amsgrad on or off (the completion network trains with amsgrad). */
  public Adam(Module module, double lr, boolean amsgrad) {
    this(module, lr, 0.9, 0.999, 1e-8, 0, false, amsgrad);
  }

  /**
   * @param decoupled true for AdamW: {@code p *= 1 - lr wd} before the Adam step
   */
  public Adam(Module module, double lr, double beta1, double beta2, double eps, double weightDecay,
      boolean decoupled, boolean amsgrad) {
    super(module, lr);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0)) {
      throw new IllegalArgumentException("Adam needs betas in [0, 1), eps > 0, weight decay >= 0");
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
    this.amsgrad = amsgrad;
  }

  /** AdamW with betas (0.9, 0.999), eps 1e-8. */
  public static Adam adamW(Module module, double lr, double weightDecay, boolean amsgrad) {
    return new Adam(module, lr, 0.9, 0.999, 1e-8, weightDecay, true, amsgrad);
  }

  @Override
  protected void update(Buffer p, Buffer grad, Slots slots) {
    Buffer m = slots.buffer("exp_avg", p);
    Buffer v = slots.buffer("exp_avg_sq", p);
    Buffer vmax = amsgrad ? slots.buffer("max_exp_avg_sq", p) : null;
    long step = slots.counter("step") + 1;
    slots.setCounter("step", step);
    p.backend().adamStep(p, grad, m, v, vmax,
        new AdamStep(learningRate(), beta1, beta2, eps, weightDecay, decoupled, step));
  }

  @Override
  protected boolean isCounter(String name) {
    return name.equals("step");
  }

  @Override
  public String kind() {
    return decoupled ? "adamw" : "adam";
  }
}
