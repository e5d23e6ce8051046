package org.jsparse.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jsparse.core.backend.Backend;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network part with named parameters, named buffers (state that is saved but not trained, such
 * as batch-norm running statistics) and child modules, in registration order. Names are
 * dot-separated paths ({@code enc1.conv.weight}); they key saved checkpoints and seed
 * initialization, so they are stable across runs. Modules start in training mode.
 */
public abstract class Module {
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, INDArray> buffers = new LinkedHashMap<>();
  private final Map<String, Boolean> bufferFollowsType = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;

  /** Registers a child; returns it for assignment to a field. */
  protected final <M extends Module> M register(String name, M child) {
    checkName(name);
    children.put(name, child);
    return child;
  }

  /** Creates and registers a zero-filled parameter. */
  protected final Parameter parameter(String name, Parameter.Role role, DataType type, long... shape) {
    checkName(name);
    Parameter p = new Parameter(role, Nd4j.zeros(type, shape));
    parameters.put(name, p);
    return p;
  }

  /**
   * Registers a buffer. {@code followsType}: cast with the parameters by {@link #castTo} (running
   * statistics) or kept as is (counters held in DOUBLE).
   */
  protected final INDArray buffer(String name, INDArray initial, boolean followsType) {
    checkName(name);
    buffers.put(name, initial);
    bufferFollowsType.put(name, followsType);
    return initial;
  }

  /** The current array of one of this module's own buffers (castTo may replace it). */
  protected final INDArray buffer(String name) {
    return buffers.get(name);
  }

  private void checkName(String name) {
    if (name.isEmpty() || name.contains(".") || parameters.containsKey(name) || buffers.containsKey(name)
        || children.containsKey(name)) {
      throw new IllegalArgumentException("bad or duplicate module member name '" + name + "'");
    }
  }

  /** All parameters below this module by dotted path, in registration order. */
  public final Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect("", out, null);
    return Collections.unmodifiableMap(out);
  }

  /** All buffers below this module by dotted path, in registration order. */
  public final Map<String, INDArray> namedBuffers() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    collect("", null, out);
    return Collections.unmodifiableMap(out);
  }

  private void collect(String prefix, Map<String, Parameter> ps, Map<String, INDArray> bs) {
    if (ps != null) {
      parameters.forEach((n, p) -> ps.put(prefix + n, p));
    }
    if (bs != null) {
      buffers.forEach((n, b) -> bs.put(prefix + n, b));
    }
    children.forEach((n, c) -> c.collect(prefix + n + ".", ps, bs));
  }

  /** The parameters in registration order. */
  public final List<Parameter> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** Number of trainable scalars. */
  public final long parameterCount() {
    return parameters().stream().mapToLong(Parameter::size).sum();
  }

  /** The direct children by name. */
  public final Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  /** Clears every parameter's gradient. */
  public final void zeroGrad() {
    parameters().forEach(Parameter::zeroGrad);
  }

  /** Training mode (batch statistics, dropout on, teacher forcing on) for this module and all below. */
  public final Module train() {
    setTraining(true);
    return this;
  }

  /** Inference mode (running statistics, no dropout, no teacher forcing) for this module and all below. */
  public final Module eval() {
    setTraining(false);
    return this;
  }

  private void setTraining(boolean on) {
    training = on;
    children.values().forEach(c -> c.setTraining(on));
  }

  public final boolean isTraining() {
    return training;
  }

  /**
   * Fills every parameter: WEIGHT from {@code init}, BIAS and SHIFT with 0, SCALE with 1. Each
   * parameter draws from a generator seeded by {@code seed} and its path, so equal seeds give
   * equal models.
   */
  public final Module initialize(Initializer init, long seed) {
    for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
      Parameter p = e.getValue();
      long[] s = p.shape();
      switch (p.role()) {
        case BIAS, SHIFT -> p.set(Nd4j.zeros(p.dataType(), s));
        case SCALE -> p.set(Nd4j.ones(p.dataType(), s));
        case WEIGHT -> {
          long k = s.length == 3 ? s[0] : 1;
          long fanIn = k * s[s.length - 2];
          long fanOut = k * s[s.length - 1];
          SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + e.getKey().hashCode());
          double[] v = new double[(int) p.size()];
          for (int i = 0; i < v.length; i++) {
            v[i] = init.sample(fanIn, fanOut, rnd);
          }
          p.set(Nd4j.create(v, s, 'c'));
        }
        default -> throw new IllegalStateException("unknown role " + p.role());
      }
    }
    return this;
  }

  /**
   * Moves every parameter to {@code backend}'s memory: on a GPU the values, their gradients and
   * the optimizer's state then stay there (no weight is sent per op, no gradient comes back); back
   * to the host with {@code Backends.cpu()}. Gradients are dropped. Build the optimizer after the
   * move (one made before moves its state along at its next step). Buffers (running statistics)
   * stay in host memory: normalization reads them there. On a device the parameters' memory is
   * freed by moving them back or by closing the backend.
   */
  public final Module to(Backend backend) {
    parameters().forEach(p -> p.moveTo(backend));
    return this;
  }

  /** Casts parameters and type-following buffers (DOUBLE for gradient checks); clears gradients. */
  public final Module castTo(DataType type) {
    parameters.values().forEach(p -> p.castTo(type));
    buffers.replaceAll((n, b) -> bufferFollowsType.get(n) && b.dataType() != type ? b.castTo(type) : b);
    children.values().forEach(c -> c.castTo(type));
    return this;
  }

  /** The data type of the parameters (FLOAT unless cast), or null for a module without any. */
  public final DataType dataType() {
    List<Parameter> ps = parameters();
    return ps.isEmpty() ? null : ps.get(0).dataType();
  }
}
