package org.jsparse.nn.autograd;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A value in the autograd graph: a matrix ({@code data}) with an optional sparse tensor that
 * gives its rows coordinates, a gradient of the same shape, and the {@link Node} that made it. A
 * dense value is a host ND4J array or a backend's buffer ({@link #of(Buffer, long[], boolean)}: a
 * parameter moved to a device, whose gradient then stays there too).
 * Leaves (parameters, inputs) have no node; their gradients accumulate with {@code +=} across
 * backward passes until {@link #zeroGrad()}, which keeps the gradient's memory for the next pass
 * (so that a training loop allocates its parameters' gradients once, not at every step).
 */
public final class Variable {
  private final SparseTensor tensor;
  /** A dense value; null for a sparse one, whose data is its tensor's features, read when asked. */
  private final INDArray data;
  /** A dense value in a backend's memory (then {@link #data} is null), seen as an array of {@link #bufferShape}. */
  private final Buffer buffer;
  private final long[] bufferShape;
  private final boolean requiresGrad;
  private INDArray grad;
  /** The gradient of a buffer value: a buffer of the same backend and layout. */
  private Buffer gradBuffer;
  /** True after zeroGrad: {@link #grad} is storage to reuse, not a gradient. */
  private boolean gradCleared;
  private Node creator;
  private boolean freed;
  /** Made by an op (not a user's leaf): an in-place op may overwrite it. */
  private final boolean opResult;
  /** Bumped by every in-place write, so that a node that saved this value can tell it changed. */
  private int version;
  /** How to make this value's tensor again from values the graph keeps (a convolution's result); or null. */
  private Recipe recipe;

  /**
   * Makes a value again, bit for bit, from {@code source} (which the graph keeps for its own
   * backward pass): lets a consumer free the value after its forward pass and rebuild it for backward.
   */
  public interface Recipe {
    /** The value the recipe reads; a consumer declares it with {@code readsInBackward}. */
    Variable source();

    /** A new tensor holding the value again; the caller closes it. */
    SparseTensor remake();
  }

  /** The recipe that remakes this value, or null. */
  public Recipe recipe() {
    return recipe;
  }

  void setRecipe(Recipe r) {
    this.recipe = r;
  }

  private Variable(SparseTensor tensor, INDArray data, boolean requiresGrad, Node creator, boolean opResult) {
    this(tensor, data, null, null, requiresGrad, creator, opResult);
  }

  private Variable(SparseTensor tensor, INDArray data, Buffer buffer, long[] bufferShape, boolean requiresGrad,
      Node creator, boolean opResult) {
    this.tensor = tensor;
    this.data = tensor == null ? data : null;
    this.buffer = buffer;
    this.bufferShape = bufferShape;
    this.requiresGrad = requiresGrad;
    this.creator = creator;
    this.opResult = opResult;
  }

  /** A leaf holding a sparse tensor's features. */
  public static Variable of(SparseTensor tensor, boolean requiresGrad) {
    return new Variable(tensor, null, requiresGrad, null, false);
  }

  /** A leaf holding a dense array (a weight, a bias, a target). */
  public static Variable of(INDArray data, boolean requiresGrad) {
    return new Variable(null, data, requiresGrad, null, false);
  }

  /**
   * A leaf holding a dense value in a backend's buffer, seen as an array of {@code shape} (a
   * parameter on a device). The buffer stays its caller's: the variable neither copies nor frees it.
   */
  public static Variable of(Buffer buffer, long[] shape, boolean requiresGrad) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != buffer.length()) {
      throw new IllegalArgumentException("a buffer of " + buffer.length() + " elements cannot be seen as shape "
          + java.util.Arrays.toString(shape));
    }
    return new Variable(null, null, buffer, shape.clone(), requiresGrad, null, false);
  }

  /** The result of an op; records {@code node} only when some input needs a gradient and grad mode is on. */
  static Variable result(SparseTensor tensor, INDArray data, Node node) {
    boolean record = node != null && !NoGrad.active() && node.needsAnyGrad();
    return new Variable(tensor, data, record, record ? node : null, true);
  }

  /** True when an in-place op may overwrite this value: an op result, not a user's leaf. */
  public boolean isOpResult() {
    return opResult;
  }

  int version() {
    return version;
  }

  /** Records an in-place write into this value's data. */
  void bumpVersion() {
    version++;
  }

  /** The sparse tensor of this value, or null for a dense value. */
  public SparseTensor tensor() {
    return tensor;
  }

  /**
   * The value: a sparse tensor's features {@code [N, C]} (on the CPU a view of the tensor's memory,
   * on a device a copy made at the first call) or a dense array (for a buffer value: a view on the
   * CPU, a new copy from a device at every call).
   */
  public INDArray data() {
    if (tensor != null) {
      return tensor.features();
    }
    return buffer != null ? buffer.backend().toINDArray(buffer, bufferShape) : data;
  }

  /** A dense value's backend buffer ({@link #of(Buffer, long[], boolean)}); null for a host array or a sparse value. */
  public Buffer buffer() {
    return buffer;
  }

  /** Where the value lives: its tensor's manager's backend or its buffer's; null for a host array. */
  public Backend backend() {
    return tensor != null ? tensor.manager().backend() : buffer != null ? buffer.backend() : null;
  }

  /** The value's shape, {@code [N, C]} for a sparse value, known without reading the values (no copy from a device). */
  public long[] shape() {
    if (tensor != null) {
      return new long[] {tensor.size(), tensor.channels()};
    }
    return buffer != null ? bufferShape.clone() : data.shape();
  }

  /** The value's data type, known without reading the values. */
  public DataType dataType() {
    return tensor != null ? tensor.dataType() : buffer != null ? buffer.dataType() : data.dataType();
  }

  /** Rows of the value ({@code N} for a sparse value, 1 for a scalar), known without reading the values. */
  public long rows() {
    if (tensor != null) {
      return tensor.size();
    }
    long[] s = shape();
    return s.length == 0 ? 1 : s[0];
  }

  /** Elements of the value, known without reading the values. */
  public long length() {
    if (tensor != null) {
      return (long) tensor.size() * tensor.channels();
    }
    return buffer != null ? buffer.length() : data.length();
  }

  public boolean requiresGrad() {
    return requiresGrad;
  }

  /**
   * The accumulated gradient, or null before any backward pass reached this value since it was
   * made or since {@link #zeroGrad()}. The array is reused by the next backward pass after a
   * {@code zeroGrad()}: dup it to keep its values.
   */
  public INDArray grad() {
    if (gradCleared) {
      return null;
    }
    return gradBuffer != null ? gradBuffer.backend().toINDArray(gradBuffer, bufferShape) : grad;
  }

  /**
   * The accumulated gradient of a buffer value, a buffer of the same backend and layout (or null,
   * as {@link #grad()}); reused by the next backward pass after a {@code zeroGrad()}.
   */
  public Buffer gradBuffer() {
    return gradCleared ? null : gradBuffer;
  }

  /** Clears the gradient ({@link #grad()} is null until a backward pass reaches this value again). */
  public void zeroGrad() {
    gradCleared = grad != null || gradBuffer != null;
  }

  /**
   * Drops the gradient and frees its memory now (a buffer value's, on its backend) instead of
   * keeping it for the next backward pass: for a value that is being replaced.
   */
  public void releaseGradient() {
    if (gradBuffer != null) {
      gradBuffer.close();
      gradBuffer = null;
    }
    grad = null;
    gradCleared = false;
  }

  Node creator() {
    return creator;
  }

  void dropCreator() {
    if (creator != null) {
      freed = true;
    }
    creator = null;
  }

  boolean graphFreed() {
    return freed;
  }

  /** Adds a leaf's gradient from the backward sweep, taking it over, in the form this value keeps. */
  void accumulate(Gradient g) {
    if (buffer == null) {
      accumulateOwned(g.takeArray());
      return;
    }
    Buffer b = g.takeBuffer(buffer.backend(), buffer.rows(), buffer.cols());
    Backend be = buffer.backend();
    if (gradBuffer == null) {
      gradBuffer = b;
    } else {
      if (gradCleared) {
        be.scale(b, 1.0, gradBuffer);
      } else {
        be.add(gradBuffer, b, 1.0, gradBuffer);
      }
      b.close();
    }
    gradCleared = false;
  }

  /** Adds {@code g} to the gradient, taking it over (no copy; it is freed once added or kept as the gradient). */
  private void accumulateOwned(INDArray g) {
    INDArray data = data();
    if (!g.equalShapes(data)) {
      throw new IllegalStateException(
          "gradient of shape " + java.util.Arrays.toString(g.shape()) + " for a value of shape "
              + java.util.Arrays.toString(data.shape()));
    }
    if (grad == null) {
      grad = g;
    } else {
      if (gradCleared) {
        grad.assign(g);
      } else {
        grad.addi(g);
      }
      org.jsparse.core.internal.NativeArrays.free(g);
    }
    gradCleared = false;
  }

  /** Back-propagates from this scalar value (seed 1). */
  public void backward() {
    INDArray data = data();
    if (data.length() != 1) {
      throw new IllegalStateException(
          "backward() without a seed needs a scalar; this value has shape " + java.util.Arrays.toString(data.shape())
              + ", pass a seed gradient of that shape");
    }
    backward(data.like().assign(1));
  }

  /** Back-propagates a seed gradient of this value's shape, then frees the graph. */
  public void backward(INDArray seed) {
    Graph.backward(this, seed);
  }
}
