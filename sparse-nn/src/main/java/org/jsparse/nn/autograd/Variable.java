package org.jsparse.nn.autograd;

import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A value in the autograd graph: a matrix ({@code data}) with an optional sparse tensor that
 * gives its rows coordinates, a gradient of the same shape, and the {@link Node} that made it.
 * Leaves (parameters, inputs) have no node; their gradients accumulate with {@code +=} across
 * backward passes until {@link #zeroGrad()}, which keeps the gradient's memory for the next pass
 * (so that a training loop allocates its parameters' gradients once, not at every step).
 */
public final class Variable {
  private final SparseTensor tensor;
  /** A dense value; null for a sparse one, whose data is its tensor's features, read when asked. */
  private final INDArray data;
  private final boolean requiresGrad;
  private INDArray grad;
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
    this.tensor = tensor;
    this.data = tensor == null ? data : null;
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
   * on a device a copy made at the first call) or a dense array.
   */
  public INDArray data() {
    return tensor != null ? tensor.features() : data;
  }

  /** The value's shape, {@code [N, C]} for a sparse value, known without reading the values (no copy from a device). */
  public long[] shape() {
    return tensor != null ? new long[] {tensor.size(), tensor.channels()} : data.shape();
  }

  /** The value's data type, known without reading the values. */
  public DataType dataType() {
    return tensor != null ? tensor.dataType() : data.dataType();
  }

  /** Rows of the value ({@code N} for a sparse value, 1 for a scalar), known without reading the values. */
  public long rows() {
    return tensor != null ? tensor.size() : data.rank() == 0 ? 1 : data.size(0);
  }

  /** Elements of the value, known without reading the values. */
  public long length() {
    return tensor != null ? (long) tensor.size() * tensor.channels() : data.length();
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
    return gradCleared ? null : grad;
  }

  /** Clears the gradient ({@link #grad()} is null until a backward pass reaches this value again). */
  public void zeroGrad() {
    gradCleared = grad != null;
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

  /** Adds {@code g} to the gradient, taking it over (no copy; it is freed once added or kept as the gradient). */
  void accumulateOwned(INDArray g) {
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
