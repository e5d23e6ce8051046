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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Updates a module's parameters in place from their accumulated gradients. Per-parameter state
 * (momentum, moments) is kept in named slots, keyed by the parameter's path, so that
 * {@link #state()} and {@link #loadState} restore a run exactly. Parameters without a gradient
 * in a step are left alone (their state does not advance).
 *
 * <p>Updates run in place through the fused optimizer kernels of the backend that holds each
 * parameter (the CPU for host memory; a GPU after {@link Module#to}), with the slots beside the
 * parameter: nothing the size of a parameter crosses between host and device. {@link #memory()}
 * counts the training state the optimizer works on: the parameters, their gradients and its
 * slots (a manager's ledger counts the activations).
 */
public abstract class Optimizer {
  private final Map<String, Parameter> parameters;
  private final Map<String, Slots> slots = new LinkedHashMap<>();
  /** The backend of parameters in host memory: stateless, so one serves every update. */
  private final Backend host = Backends.cpu();
  private final MemoryLedger memory;
  private final Map<Object, Allocation> counted = new IdentityHashMap<>();
  /** A parameter's gradient storage outlives zeroGrad (it is reused), so it is counted per parameter. */
  private final Map<Parameter, Allocation> gradients = new IdentityHashMap<>();
  private double learningRate;
  private long steps;

  /**
   * One parameter's state: buffers laid out as the parameter's buffer, on its backend, made on
   * first use and moved along when the parameter moves; and counters (an update count).
   */
  protected static final class Slots {
    private final Map<String, Buffer> buffers = new LinkedHashMap<>();
    private final Map<String, Long> counters = new LinkedHashMap<>();

    /** The slot {@code name} beside {@code param}: zeros at first use. */
    public Buffer buffer(String name, Buffer param) {
      Buffer b = buffers.get(name);
      if (b == null || b.backend() != param.backend() || b.rows() != param.rows() || b.cols() != param.cols()) {
        Buffer moved = b == null ? param.backend().zeros(null, null, "optimizer state", param.dataType(), param.rows(),
            param.cols()) : param.backend().upload(null, null, "optimizer state", b.backend().download(b), param.rows(),
            param.cols());
        if (b != null) {
          b.close();
        }
        buffers.put(name, moved);
        b = moved;
      }
      return b;
    }

    /** True when the slot {@code name} was made (a first step may differ, as SGD's momentum). */
    public boolean has(String name) {
      return buffers.containsKey(name) || counters.containsKey(name);
    }

    /** A counter's value, 0 before it is set. */
    public long counter(String name) {
      return counters.getOrDefault(name, 0L);
    }

    public void setCounter(String name, long value) {
      counters.put(name, value);
    }

    private void close() {
      buffers.values().forEach(Buffer::close);
      buffers.clear();
    }
  }

  protected Optimizer(Module module, double learningRate) {
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
    }
    this.parameters = new LinkedHashMap<>(module.namedParameters());
    this.learningRate = learningRate;
    Backend home = parameters.values().stream().map(Parameter::backend).filter(b -> b != null).findFirst().orElse(null);
    this.memory = new MemoryLedger(home == null ? "cpu" : home.device());
    recount();
  }

  /** One update of every parameter that has a gradient. */
  public final void step() {
    steps++;
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      Parameter p = e.getValue();
      if (p.hasGrad()) {
        Slots s = slots.computeIfAbsent(e.getKey(), k -> new Slots());
        Buffer value = p.variable().buffer();
        if (value != null) {
          update(value, p.variable().gradBuffer(), s);
        } else {
          try (Buffer v = host.borrow(p.data(), 1); Buffer g = host.borrow(p.grad(), 1)) {
            update(v, g, s);
          }
        }
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

  /** Brings the ledger up to date: memory that appeared is counted, memory that went is given back. */
  private void recount() {
    Map<Object, Long> live = new IdentityHashMap<>();
    Map<Object, MemoryCategory> categories = new IdentityHashMap<>();
    for (Parameter p : parameters.values()) {
      live.put(p.variable(), p.bytes());
      categories.put(p.variable(), MemoryCategory.PARAMETERS);
      Allocation kept = gradients.get(p);
      if (p.hasGrad() && (kept == null || kept.bytes() != p.bytes())) {
        if (kept != null) {
          kept.close();
        }
        gradients.put(p, memory.acquire(MemoryCategory.GRADIENTS, p.bytes(), "parameter gradient"));
      }
    }
    for (Slots s : slots.values()) {
      for (Buffer b : s.buffers.values()) {
        live.put(b, b.length() * b.dataType().width());
        categories.put(b, MemoryCategory.OPTIMIZER_STATE);
      }
    }
    counted.entrySet().removeIf(e -> {
      boolean gone = !live.containsKey(e.getKey());
      if (gone) {
        e.getValue().close();
      }
      return gone;
    });
    live.forEach((k, bytes) -> counted.computeIfAbsent(k, x -> {
      MemoryCategory category = categories.get(x);
      return memory.acquire(category, bytes, category == MemoryCategory.PARAMETERS ? "parameter" : kind() + " state");
    }));
  }

  /**
   * Updates {@code param} in place from {@code grad}, both buffers of one backend in one layout;
   * {@code slots} is this parameter's state.
   */
  protected abstract void update(Buffer param, Buffer grad, Slots slots);

  /** True for the slots of {@code name} that are counters (saved as one DOUBLE). */
  protected boolean isCounter(String name) {
    return false;
  }

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

  /**
   * Copies of the slots by {@code parameterPath/slot}, in host memory, each shaped like its
   * parameter (a counter as one DOUBLE).
   */
  public final Map<String, INDArray> state() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    slots.forEach((path, s) -> {
      long[] shape = parameters.get(path).shape();
      s.buffers.forEach((name, b) -> out.put(path + "/" + name, b.backend().toINDArray(b, shape).dup()));
      s.counters.forEach((name, c) -> out.put(path + "/" + name, Nd4j.create(new double[] {c}, new long[] {1},
          DataType.DOUBLE)));
    });
    return out;
  }

  /**
   * Replaces the state with saved slots (copied, in their parameters' data type, beside
   * them), the step count and the learning rate. Checks every slot first: a state that does
   * not fit this optimizer's parameters changes nothing.
   */
  public final void loadState(Map<String, INDArray> state, long steps, double learningRate) {
    if (!(learningRate >= 0) || steps < 0) {
      throw new IllegalArgumentException("optimizer state needs steps >= 0 and a learning rate >= 0, got " + steps
          + " and " + learningRate);
    }
    for (Map.Entry<String, INDArray> e : state.entrySet()) {
      int cut = e.getKey().lastIndexOf('/');
      String path = cut < 0 ? "" : e.getKey().substring(0, cut);
      Parameter p = parameters.get(path);
      if (p == null) {
        throw new IllegalArgumentException("optimizer state names parameter '" + path + "' that this model lacks");
      }
      boolean counter = isCounter(e.getKey().substring(cut + 1));
      if (counter ? e.getValue().length() != 1 : !Arrays.equals(p.shape(), e.getValue().shape())) {
        throw new IllegalArgumentException("optimizer state " + e.getKey() + " has shape "
            + Arrays.toString(e.getValue().shape()) + ", the " + (counter ? "counter [1]" : "parameter "
            + Arrays.toString(p.shape())));
      }
    }
    // everything checked: replace the state in one go
    slots.values().forEach(Slots::close);
    slots.clear();
    for (Map.Entry<String, INDArray> e : state.entrySet()) {
      int cut = e.getKey().lastIndexOf('/');
      String path = cut < 0 ? "" : e.getKey().substring(0, cut);
      String name = e.getKey().substring(cut + 1);
      Parameter p = parameters.get(path);
      Slots s = slots.computeIfAbsent(path, k -> new Slots());
      INDArray a = e.getValue();
      if (isCounter(name)) {
        s.setCounter(name, (long) a.getDouble(0));
      } else {
        Buffer at = p.variable().buffer();
        Backend be = at == null ? host : at.backend();
        long rows = at == null ? 1 : at.rows();
        INDArray typed = a.castTo(p.dataType()).dup('c');
        Object values = p.dataType() == DataType.DOUBLE ? typed.data().asDouble() : typed.data().asFloat();
        s.buffers.put(name, be.upload(null, null, "optimizer state", values, rows, a.length() / Math.max(rows, 1)));
      }
    }
    this.steps = steps;
    setLearningRate(learningRate);
    recount();
  }
}
