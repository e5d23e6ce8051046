package org.jsparse.core.ops;

import java.util.Arrays;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMapKey;
import org.jsparse.core.kmap.MapKind;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sparse convolution of every geometry: {@code out[o] = sum_k in[o + offset_k] W[k] (+ bias)}
 * (cross-correlation, no flip), weights {@code [K, Cin, Cout]}. Precondition checks first, then
 * the output map and kernel map from the manager (cached), then the CPU kernels. Backward passes
 * take the {@link OpPlan} of the forward call.
 */
public final class SparseConvolution {
  private SparseConvolution() {}

  /** Resolves output coordinates and the kernel map; transposed convs find their target map by ancestry. */
  public static OpPlan plan(SparseTensor x, ConvolutionSpec spec) {
    return plan(x, spec, null);
  }

  /**
   * Resolves output coordinates and the kernel map. {@code outKey} names the output map of a
   * TRANSPOSED conv explicitly (null: the map at the target stride that {@code x} was derived
   * from); it must be null for the other modes.
   */
  public static OpPlan plan(SparseTensor x, ConvolutionSpec spec, CoordinateMapKey outKey) {
    requireNonEmpty(x, "convolution");
    CoordinateManager cm = x.manager();
    if (spec.region().dimension() != cm.dimension()) {
      throw new IllegalArgumentException(
          "convolution " + spec + " has D=" + spec.region().dimension() + " but the tensor has D=" + cm.dimension());
    }
    CoordinateMapKey in = x.key();
    TensorStride s = TensorStride.of(spec.stride());
    CoordinateMapKey out;
    MapKind kind;
    switch (spec.mode()) {
      case REGULAR -> {
        requireNull(outKey, spec);
        out = cm.stride(in, spec.stride());
        kind = MapKind.CONVOLUTION;
      }
      case TRANSPOSED -> {
        TensorStride target = in.stride().divide(spec.stride());
        out = outKey != null ? outKey : cm.ancestorAt(in, target);
        kind = MapKind.TRANSPOSED;
      }
      case GENERATIVE -> {
        requireNull(outKey, spec);
        out = cm.generativeOutput(in, spec.region(), spec.stride());
        kind = MapKind.TRANSPOSED;
      }
      default -> throw new IllegalStateException("unknown mode " + spec.mode());
    }
    KernelMapKey key = new KernelMapKey(in, out, spec.region(), s, kind);
    return new OpPlan(cm, key, cm.kernelMap(key));
  }

  static void requireNonEmpty(SparseTensor x, String op) {
    if (x.size() == 0) {
      throw new IllegalArgumentException(
          op + " of an empty tensor (no active sites): there is nothing to compute; check the pruning "
              + "threshold or keep at least the arg-max site when pruning");
    }
  }

  private static void requireNull(CoordinateMapKey outKey, ConvolutionSpec spec) {
    if (outKey != null) {
      throw new IllegalArgumentException(spec.mode() + " convolution chooses its own output map; pass null");
    }
  }

  /** Plans and runs a convolution; {@code bias} ({@code [Cout]}) may be null. */
  public static SparseTensor forward(SparseTensor x, INDArray weight, INDArray bias, ConvolutionSpec spec) {
    return forward(x, weight, bias, plan(x, spec));
  }

  /** Runs a planned convolution; {@code bias} may be null. */
  public static SparseTensor forward(SparseTensor x, INDArray weight, INDArray bias, OpPlan plan) {
    checkPlan(x, plan);
    checkWeight(weight, plan.kernelMap().volume(), x.channels(), x);
    CoordinateManager cm = plan.manager();
    try (Buffer w = OnBackend.borrow(cm, weight, weight.size(0) * weight.size(1));
        Buffer b = bias == null ? null : OnBackend.borrow(cm, bias, 1)) {
      return forward(x, w, b, plan);
    }
  }

  /**
   * {@link #forward(SparseTensor, INDArray, INDArray, OpPlan)} with the weight as a
   * {@code [K * Cin, Cout]} buffer and the bias as a {@code [1, Cout]} buffer (or null) of the
   * manager's backend, read where they are: a model whose parameters live on a device sends
   * nothing to it per call.
   */
  public static SparseTensor forward(SparseTensor x, Buffer weight, Buffer bias, OpPlan plan) {
    checkPlan(x, plan);
    checkWeight(weight, plan.kernelMap().volume(), x.channels(), x);
    long cout = weight.cols();
    if (bias != null && (bias.length() != cout || bias.dataType() != x.dataType())) {
      throw new IllegalArgumentException("bias must have " + cout + " " + x.dataType() + " entries, got "
          + bias.length() + " " + bias.dataType());
    }
    CoordinateManager cm = plan.manager();
    Buffer out = OnBackend.features(cm, "convolution", x.dataType(), plan.kernelMap().outRows(), cout);
    try {
      cm.backend().convolutionForward(x.buffer(), weight, plan.kernelMap(), out, cm.memory());
      if (bias != null) {
        cm.backend().addRowVector(bias, out);
      }
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
    return SparseTensor.fromOp(cm, plan.out(), out);
  }

  /** Gradient with respect to the input features, {@code [inRows, Cin]}. */
  public static INDArray backwardInput(OpPlan plan, INDArray gradOut, INDArray weight) {
    checkGrad(plan, gradOut, weight.size(2));
    CoordinateManager cm = plan.manager();
    try (Buffer g = OnBackend.borrow(cm, gradOut, plan.kernelMap().outRows())) {
      return OnBackend.handOut(cm, backwardInput(plan, g, weight));
    }
  }

  /** Gradient with respect to the weight, {@code [K, Cin, Cout]}. */
  public static INDArray backwardWeight(OpPlan plan, INDArray input, INDArray gradOut) {
    checkGrad(plan, gradOut, gradOut.size(1));
    if (input.size(0) != plan.kernelMap().inRows()) {
      throw new IllegalArgumentException(
          "input has " + input.size(0) + " rows, the plan's input map has " + plan.kernelMap().inRows());
    }
    CoordinateManager cm = plan.manager();
    KernelMap map = plan.kernelMap();
    try (Buffer x = OnBackend.borrow(cm, input, map.inRows()); Buffer g = OnBackend.borrow(cm, gradOut, map.outRows())) {
      return OnBackend.handOut(cm, backwardWeight(plan, x, g), map.volume(), input.size(1), gradOut.size(1));
    }
  }

  /**
   * {@link #backwardInput(OpPlan, INDArray, INDArray)} on the manager's backend: the gradient
   * arrives and leaves as buffers there (on a GPU it never visits the host). The result is the
   * caller's, uncounted, to close.
   */
  public static Buffer backwardInput(OpPlan plan, Buffer gradOut, INDArray weight) {
    CoordinateManager cm = plan.manager();
    try (Buffer w = OnBackend.borrow(cm, weight, weight.size(0) * weight.size(1))) {
      return backwardInput(plan, gradOut, w);
    }
  }

  /**
   * As {@link #backwardInput(OpPlan, Buffer, INDArray)} with the weight as a {@code [K * Cin, Cout]}
   * buffer of the manager's backend.
   */
  public static Buffer backwardInput(OpPlan plan, Buffer gradOut, Buffer weight) {
    checkGrad(plan, gradOut, weight.cols());
    KernelMap map = plan.kernelMap();
    if (weight.rows() % map.volume() != 0) {
      throw new IllegalArgumentException(
          "weight buffer has " + weight.rows() + " rows, not K * Cin for K = " + map.volume());
    }
    CoordinateManager cm = plan.manager();
    Buffer gin = OnBackend.gradient(cm, gradOut.dataType(), map.inRows(), weight.rows() / map.volume());
    try {
      cm.backend().convolutionBackwardInput(gradOut, weight, map, gin, cm.memory());
    } catch (RuntimeException e) {
      gin.close();
      throw e;
    }
    return gin;
  }

  /**
   * {@link #backwardWeight(OpPlan, INDArray, INDArray)} on the manager's backend, reading the
   * input's and the gradient's buffers where they are; the {@code [K * Cin, Cout]} result is the
   * caller's, uncounted, to close.
   */
  public static Buffer backwardWeight(OpPlan plan, Buffer input, Buffer gradOut) {
    checkGrad(plan, gradOut, gradOut.cols());
    if (input.rows() != plan.kernelMap().inRows()) {
      throw new IllegalArgumentException(
          "input has " + input.rows() + " rows, the plan's input map has " + plan.kernelMap().inRows());
    }
    CoordinateManager cm = plan.manager();
    KernelMap map = plan.kernelMap();
    Buffer gw = OnBackend.gradient(cm, gradOut.dataType(), map.volume() * input.cols(), gradOut.cols());
    cm.backend().convolutionBackwardWeight(input, gradOut, map, gw, cm.memory());
    return gw;
  }

  /** Gradient with respect to the bias: column sums of {@code gradOut}, shape {@code [Cout]}. */
  public static INDArray backwardBias(INDArray gradOut) {
    return gradOut.sum(0);
  }

  static void checkPlan(SparseTensor x, OpPlan plan) {
    if (plan.manager() != x.manager() || !plan.in().equals(x.key())) {
      throw new IllegalArgumentException(
          "the plan was made for map " + plan.in() + " but the tensor is on " + x.key() + "; plan with this tensor");
    }
  }

  static void checkGrad(OpPlan plan, Buffer gradOut, long cout) {
    if (gradOut.rows() != plan.kernelMap().outRows() || gradOut.cols() != cout) {
      throw new IllegalArgumentException("gradient must be [" + plan.kernelMap().outRows() + ", " + cout + "], got ["
          + gradOut.rows() + ", " + gradOut.cols() + "]");
    }
  }

  static void checkGrad(OpPlan plan, INDArray gradOut, long cout) {
    if (gradOut.rank() != 2 || gradOut.size(0) != plan.kernelMap().outRows() || gradOut.size(1) != cout) {
      throw new IllegalArgumentException(
          "gradient must be [" + plan.kernelMap().outRows() + ", " + cout + "], got " + Arrays.toString(gradOut.shape()));
    }
  }

  static void checkWeight(Buffer weight, int volume, int cin, SparseTensor x) {
    if (weight.rows() != (long) volume * cin) {
      throw new IllegalArgumentException("weight buffer must be [K * Cin = " + volume + " * " + cin + ", Cout], got ["
          + weight.rows() + ", " + weight.cols() + "]; the input has " + cin + " channels");
    }
    if (weight.dataType() != x.dataType()) {
      throw new IllegalArgumentException(
          "weight is " + weight.dataType() + " but features are " + x.dataType() + "; use one data type");
    }
  }

  static void checkWeight(INDArray weight, int volume, int cin, SparseTensor x) {
    if (weight.rank() != 3 || weight.size(0) != volume || weight.size(1) != cin) {
      throw new IllegalArgumentException(
          "weight must be [K=" + volume + ", Cin=" + cin + ", Cout], got " + Arrays.toString(weight.shape())
              + (weight.rank() == 3 && weight.size(1) != cin
                  ? "; the input has " + cin + " channels, the weight expects " + weight.size(1) : ""));
    }
    if (weight.dataType() != x.dataType()) {
      throw new IllegalArgumentException(
          "weight is " + weight.dataType() + " but features are " + x.dataType() + "; use one data type");
    }
  }
}
