package org.jsparse.nn;

import java.util.Arrays;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.nn.autograd.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable array of a {@link Module}: a leaf {@link Variable} that requires a gradient, with
 * the role that decides its initialization. It lives in host memory, or after
 * {@link Module#to(Backend)} on a backend with memory of its own (a GPU): then its values, its
 * gradient and the optimizer's state stay there, and {@link #data()} and {@link #grad()} are
 * copies. Optimizers update it in place.
 *
 * <p>On a device the values are one {@code [rows, cols]} buffer, {@code cols} the last dimension
 * ({@code [K * Cin, Cout]} for a convolution weight, {@code [1, C]} for a bias), the layout the
 * backend's operations read.
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

  /**
   * The values: in host memory the array optimizers update in place; on a device a new copy at
   * every call (write with {@link #set}).
   */
  public INDArray data() {
    return value.data();
  }

  /** Replaces the values with {@code values} (same shape; cast to this parameter's data type), wherever they live. */
  public void set(INDArray values) {
    if (!Arrays.equals(values.shape(), shape())) {
      throw new IllegalArgumentException("parameter has shape " + Arrays.toString(shape()) + ", the values "
          + Arrays.toString(values.shape()));
    }
    Buffer b = value.buffer();
    if (b == null) {
      value.data().assign(values.castTo(dataType()));
      return;
    }
    Backend be = b.backend();
    try (Buffer src = be.borrow(values.castTo(b.dataType()).dup('c'), b.rows())) {
      be.scale(src, 1.0, b);
    }
  }

  /** The accumulated gradient, or null; on a device a copy. */
  public INDArray grad() {
    return value.grad();
  }

  /** True when a backward pass left a gradient since the last {@link #zeroGrad()} (known without copying it). */
  public boolean hasGrad() {
    return value.buffer() != null ? value.gradBuffer() != null : value.grad() != null;
  }

  public void zeroGrad() {
    value.zeroGrad();
  }

  /** The backend whose memory holds the values, or null for host memory. */
  public Backend backend() {
    return value.backend();
  }

  public long[] shape() {
    return value.shape();
  }

  /** Number of scalar entries. */
  public long size() {
    return value.length();
  }

  public DataType dataType() {
    return value.dataType();
  }

  /** Bytes of the values. */
  public long bytes() {
    return size() * dataType().width();
  }

  void castTo(DataType type) {
    if (dataType() != type) {
      replace(value.data().castTo(type), value.backend());
    }
  }

  /**
   * Moves the values to {@code backend}: into host memory when it shares it (the CPU), else into
   * a buffer of its own there. The gradient is dropped (the next backward pass makes it where the
   * values are); the old device buffer is freed.
   */
  void moveTo(Backend backend) {
    Backend target = backend.sharesHostMemory() ? null : backend;
    if (value.backend() != target) {
      replace(value.data(), target);
    }
  }

  /** Makes {@code values} this parameter's, in host memory ({@code target} null) or uploaded to {@code target}. */
  private void replace(INDArray values, Backend target) {
    Variable old = value;
    if (target == null) {
      value = Variable.of(values, true);
    } else {
      long[] shape = values.shape();
      long cols = shape.length == 0 ? 1 : shape[shape.length - 1];
      long rows = cols == 0 ? 0 : values.length() / cols;
      Object host = values.dataType() == DataType.DOUBLE ? values.dup('c').data().asDouble()
          : values.castTo(DataType.FLOAT).dup('c').data().asFloat();
      Buffer b = target.upload(null, null, "parameter", host, rows, cols);
      value = Variable.of(b, shape, true);
    }
    old.releaseGradient();
    if (old.buffer() != null) {
      old.buffer().close();
    }
  }
}
