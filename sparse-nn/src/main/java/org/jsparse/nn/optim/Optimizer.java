package org.jsparse.nn.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jsparse.nn.Module;
import org.jsparse.nn.Parameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Updates a module's parameters in place from their accumulated gradients. Per-parameter state
 * (momentum, moments) is kept in named slots, keyed by the parameter's path, so that
 * {@link #state()} and {@link #loadState} restore a run exactly. Parameters without a gradient
 * in a step are left alone (their state does not advance).
 */
public abstract class Optimizer {
  private final Map<String, Parameter> parameters;
  private final Map<String, Map<String, INDArray>> slots = new LinkedHashMap<>();
  private double learningRate;
  private long steps;

  protected Optimizer(Module module, double learningRate) {
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
    }
    this.parameters = new LinkedHashMap<>(module.namedParameters());
    this.learningRate = learningRate;
  }

  /** One update of every parameter that has a gradient. */
  public final void step() {
    steps++;
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      Parameter p = e.getValue();
      if (p.grad() != null) {
        update(p.data(), p.grad(), slots.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()));
      }
    }
  }

  /** Updates {@code param} from {@code grad}; {@code slots} is this parameter's state, created lazily. */
  protected abstract void update(INDArray param, INDArray grad, Map<String, INDArray> slots);

  /** Clears all gradients. */
  public final void zeroGrad() {
    parameters.values().forEach(Parameter::zeroGrad);
  }

  public final double learningRate() {
    return learningRate;
  }

  public final void setLearningRate(double lr) {
    if (!(lr >= 0)) {
      throw new IllegalArgumentException("learning rate must be >= 0, got " + lr);
    }
    this.learningRate = lr;
  }

  /** Number of {@link #step()} calls so far. */
  public final long steps() {
    return steps;
  }

  /** A name for the checkpoint ({@code sgd}, {@code adam}...), checked on load. */
  public abstract String kind();

  /** Slot arrays by {@code parameterPath/slot}; the arrays are the live state (copy to keep). */
  public final Map<String, INDArray> state() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    slots.forEach((p, s) -> s.forEach((name, a) -> out.put(p + "/" + name, a)));
    return out;
  }

  /**
   * Replaces the state with saved slots (copied, in their saved data type; one-entry slots are
   * counters), the step count and the learning rate.
   */
  public final void loadState(Map<String, INDArray> state, long steps, double learningRate) {
    slots.clear();
    for (Map.Entry<String, INDArray> e : state.entrySet()) {
      int cut = e.getKey().lastIndexOf('/');
      String path = e.getKey().substring(0, cut);
      Parameter p = parameters.get(path);
      if (p == null) {
        throw new IllegalArgumentException("optimizer state names parameter '" + path + "' that this model lacks");
      }
      boolean counter = e.getValue().length() == 1;
      if (!counter && !Arrays.equals(p.shape(), e.getValue().shape())) {
        throw new IllegalArgumentException("optimizer state " + e.getKey() + " has shape "
            + Arrays.toString(e.getValue().shape()) + ", the parameter " + Arrays.toString(p.shape()));
      }
      slots.computeIfAbsent(path, k -> new LinkedHashMap<>())
          .put(e.getKey().substring(cut + 1), e.getValue().dup());
    }
    this.steps = steps;
    setLearningRate(learningRate);
  }
}
