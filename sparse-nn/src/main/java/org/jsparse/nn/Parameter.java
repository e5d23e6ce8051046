package org.jsparse.nn;

import org.jsparse.nn.autograd.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable array of a {@link Module}: a leaf {@link Variable} that requires a gradient, with
 * the role that decides its initialization. Optimizers update {@link #data()} in place.
 */
public final class Parameter {
  /** What a parameter is for, which decides how {@link Module#initialize} fills it. */
  public enum Role {
    /** A convolution or linear weight {@code [K, Cin, Cout]} or {@code [Cin, Cout]}: the initializer fills it. */
    WEIGHT,
    /** An additive bias: zeros. */
    BIAS,
    /** A normalization scale (gamma): ones. */
    SCALE,
    /** A normalization shift (beta): zeros. */
    SHIFT
  }

  private final Role role;
  private Variable value;

  Parameter(Role role, INDArray data) {
    this.role = role;
    this.value = Variable.of(data, true);
  }

  public Role role() {
    return role;
  }

  /** The variable to pass to functional ops. */
  public Variable variable() {
    return value;
  }

  /** The values; updated in place by optimizers. */
  public INDArray data() {
    return value.data();
  }

  /** The accumulated gradient, or null. */
  public INDArray grad() {
    return value.grad();
  }

  public void zeroGrad() {
    value.zeroGrad();
  }

  public long[] shape() {
    return value.data().shape();
  }

  /** Number of scalar entries. */
  public long size() {
    return value.data().length();
  }

  void castTo(DataType type) {
    if (value.data().dataType() != type) {
      value = Variable.of(value.data().castTo(type), true);
    }
  }
}
