package org.jsparse.nn.optim;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.nn.Module;
import org.jsparse.nn.Parameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Updates a module's parameters in place from their accumulated gradients. Per-parameter state
 * (momentum, moments) is kept in named slots, keyed by the parameter's path, so that
 * {@link #state()} and {@link #loadState} restore a run exactly. Parameters without a gradient
 * in a step are left alone (their state does not advance).
 *
 * <p>Updates run in place through the backend's fused optimizer kernels (no temporary the size
 * of a parameter). {@link #memory()} counts the training state the optimizer works on: the
 * parameters, their gradients and its slots (a manager's ledger counts the activations).
 */
public abstract class Optimizer {
  private final Map<String, Parameter> parameters;
  private final Map<String, Map<String, INDArray>> slots = new LinkedHashMap<>();
  /** Parameters are ND4J arrays on the host: the CPU backend updates them where they are. */
  private final Backend backend = Backends.cpu();
  private final MemoryLedger memory = new MemoryLedger("cpu");
  private final Map<INDArray, Allocation> counted = new IdentityHashMap<>();
  /** A parameter's gradient storage outlives zeroGrad (it is reused), so it is counted per parameter. */
  private final Map<Parameter, Allocation> gradients = new IdentityHashMap<>();
  private double learningRate;
  private long steps;

  protected Optimizer(Module module, double learningRate) {
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
    }
    this.parameters = new LinkedHashMap<>(module.namedParameters());
    this.learningRate = learningRate;
    recount();
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
    recount();
  }

  /**
   * The ledger of the training state: PARAMETERS, their GRADIENTS (kept from one step to the
   * next) and OPTIMIZER_STATE, current as of the last {@link #step()} or {@link #loadState}.
   */
  public final MemoryLedger memory() {
    return memory;
  }

  /** The backend that runs the updates. */
  protected final Backend backend() {
    return backend;
  }

  /** {@code a} as a {@code [1, length]} buffer of {@link #backend()} (borrowed, not copied). */
  protected final Buffer buffer(INDArray a) {
    return backend.borrow(a, 1);
  }

  /** A zero slot shaped like {@code param}, made once. */
  protected static INDArray slot(Map<String, INDArray> slots, String name, INDArray param) {
    return slots.computeIfAbsent(name, k -> param.like().assign(0));
  }

  /** Brings the ledger up to date: arrays that appeared are counted, arrays that went are given back. */
  private void recount() {
    Map<INDArray, MemoryCategory> live = new IdentityHashMap<>();
    for (Parameter p : parameters.values()) {
      live.put(p.data(), MemoryCategory.PARAMETERS);
      INDArray g = p.grad();
      Allocation kept = gradients.get(p);
      if (g != null && (kept == null || kept.bytes() != bytes(g))) {
        if (kept != null) {
          kept.close();
        }
        gradients.put(p, memory.acquire(MemoryCategory.GRADIENTS, bytes(g), "parameter gradient"));
      }
    }
    slots.values().forEach(s -> s.values().forEach(a -> live.put(a, MemoryCategory.OPTIMIZER_STATE)));
    counted.entrySet().removeIf(e -> {
      boolean gone = !live.containsKey(e.getKey());
      if (gone) {
        e.getValue().close();
      }
      return gone;
    });
    live.forEach((a, category) -> counted.computeIfAbsent(a,
        k -> memory.acquire(category, bytes(k), category == MemoryCategory.PARAMETERS ? "parameter" : kind() + " state")));
  }

  private static long bytes(INDArray a) {
    return a.length() * a.dataType().width();
  }

  /** Updates {@code param} in place from {@code grad}; {@code slots} is this parameter's state, created lazily. */
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
   * counters), the step count and the learning rate. Checks every slot first: a state that does
   * not fit this optimizer's parameters changes nothing.
   */
  public final void loadState(Map<String, INDArray> state, long steps, double learningRate) {
    if (!(learningRate >= 0) || steps < 0) {
      throw new IllegalArgumentException("optimizer state needs steps >= 0 and a learning rate >= 0, got " + steps
          + " and " + learningRate);
    }
    Map<String, Map<String, INDArray>> loaded = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> e : state.entrySet()) {
      int cut = e.getKey().lastIndexOf('/');
      String path = cut < 0 ? "" : e.getKey().substring(0, cut);
      Parameter p = parameters.get(path);
      if (p == null) {
        throw new IllegalArgumentException("optimizer state names parameter '" + path + "' that this model lacks");
      }
      boolean counter = e.getValue().length() == 1;
      if (!counter && !Arrays.equals(p.shape(), e.getValue().shape())) {
        throw new IllegalArgumentException("optimizer state " + e.getKey() + " has shape "
            + Arrays.toString(e.getValue().shape()) + ", the parameter " + Arrays.toString(p.shape()));
      }
      loaded.computeIfAbsent(path, k -> new LinkedHashMap<>()).put(e.getKey().substring(cut + 1), e.getValue().dup());
    }
    // everything checked: replace the state in one go
    slots.clear();
    slots.putAll(loaded);
    this.steps = steps;
    setLearningRate(learningRate);
    recount();
  }
}
