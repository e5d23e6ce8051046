package org.jsparse.core.ops;

import java.util.Arrays;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Channel-wise (depthwise) sparse convolution, MinkowskiEngine's {@code
 * MinkowskiChannelwiseConvolution}: each channel convolved with its own kernel, weight
 * {@code [K, C]}, C channels in and out, on any geometry a {@link SparseConvolution} plans
 * (submanifold, strided, transposed, generative): {@code out[o, c] = sum over k and pairs (i, o)
 * of offset k of weight[k, c] in[i, c] (+ bias[c])}.
 */
public final class ChannelwiseConvolution {
  private ChannelwiseConvolution() {}

  private static void checkWeight(INDArray weight, KernelMap map, SparseTensor x) {
    if (weight.rank() != 2) {
      throw new IllegalArgumentException("channel-wise weight must be [K = " + map.volume() + ", C = " + x.channels()
          + "], got " + Arrays.toString(weight.shape()));
    }
    checkWeight(weight.size(0), weight.size(1), weight.dataType(), map, x);
  }

  private static void checkWeight(long rows, long cols, DataType type, KernelMap map, SparseTensor x) {
    if (rows != map.volume() || cols != x.channels()) {
      throw new IllegalArgumentException("channel-wise weight must be [K = " + map.volume() + ", C = " + x.channels()
          + "], got [" + rows + ", " + cols + "]");
    }
    if (type != x.dataType()) {
      throw new IllegalArgumentException(
          "weight is " + type + " but features are " + x.dataType() + "; use one data type");
    }
  }

  /** Runs a planned channel-wise convolution ({@link SparseConvolution#plan}); {@code bias} ({@code [C]}) may be null. */
  public static SparseTensor forward(SparseTensor x, INDArray weight, INDArray bias, OpPlan plan) {
    SparseConvolution.checkPlan(x, plan);
    checkWeight(weight, plan.kernelMap(), x);
    CoordinateManager cm = plan.manager();
    try (Buffer w = OnBackend.borrow(cm, weight, weight.size(0));
        Buffer b = bias == null ? null : OnBackend.borrow(cm, bias, 1)) {
      return forward(x, w, b, plan);
    }
  }

  /**
   * As {@link #forward(SparseTensor, INDArray, INDArray, OpPlan)} with a {@code [K, C]} weight and a
   * {@code [1, C]} bias (or null) as buffers of the manager's backend, read where they are.
   */
  public static SparseTensor forward(SparseTensor x, Buffer weight, Buffer bias, OpPlan plan) {
    SparseConvolution.requireNonEmpty(x, "channel-wise convolution");
    SparseConvolution.checkPlan(x, plan);
    KernelMap map = plan.kernelMap();
    checkWeight(weight.rows(), weight.cols(), weight.dataType(), map, x);
    if (bias != null && (bias.length() != x.channels() || bias.dataType() != x.dataType())) {
      throw new IllegalArgumentException("bias must have " + x.channels() + " " + x.dataType() + " entries, got "
          + bias.length() + " " + bias.dataType());
    }
    CoordinateManager cm = plan.manager();
    Buffer out = OnBackend.features(cm, "channel-wise convolution", x.dataType(), map.outRows(), x.channels());
    try {
      cm.backend().channelwiseForward(x.buffer(), weight, map, out, cm.memory());
      if (bias != null) {
        cm.backend().addRowVector(bias, out);
      }
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
    return SparseTensor.fromOp(cm, plan.out(), out);
  }

  /** Gradient with respect to the input features, {@code [inRows, C]}. */
  public static INDArray backwardInput(OpPlan plan, INDArray gradOut, INDArray weight) {
    SparseConvolution.checkGrad(plan, gradOut, weight.size(1));
    CoordinateManager cm = plan.manager();
    try (Buffer g = OnBackend.borrow(cm, gradOut, plan.kernelMap().outRows())) {
      return OnBackend.handOut(cm, backwardInput(plan, g, weight));
    }
  }

  /** {@link #backwardInput(OpPlan, INDArray, INDArray)} on the manager's backend's buffers; the result is the caller's. */
  public static Buffer backwardInput(OpPlan plan, Buffer gradOut, INDArray weight) {
    try (Buffer w = OnBackend.borrow(plan.manager(), weight, weight.size(0))) {
      return backwardInput(plan, gradOut, w);
    }
  }

  /** As {@link #backwardInput(OpPlan, Buffer, INDArray)} with the {@code [K, C]} weight as a buffer of the manager's backend. */
  public static Buffer backwardInput(OpPlan plan, Buffer gradOut, Buffer weight) {
    SparseConvolution.checkGrad(plan, gradOut, weight.cols());
    CoordinateManager cm = plan.manager();
    KernelMap map = plan.kernelMap();
    Buffer gin = OnBackend.gradient(cm, gradOut.dataType(), map.inRows(), weight.cols());
    try {
      cm.backend().channelwiseBackwardInput(gradOut, weight, map, gin, cm.memory());
    } catch (RuntimeException e) {
      gin.close();
      throw e;
    }
    return gin;
  }

  /** Gradient with respect to the weight, {@code [K, C]}. */
  public static INDArray backwardWeight(OpPlan plan, INDArray input, INDArray gradOut) {
    SparseConvolution.checkGrad(plan, gradOut, input.size(1));
    CoordinateManager cm = plan.manager();
    KernelMap map = plan.kernelMap();
    if (input.size(0) != map.inRows()) {
      throw new IllegalArgumentException("input has " + input.size(0) + " rows, the plan's input map " + map.inRows());
    }
    try (Buffer x = OnBackend.borrow(cm, input, map.inRows()); Buffer g = OnBackend.borrow(cm, gradOut, map.outRows())) {
      return OnBackend.handOut(cm, backwardWeight(plan, x, g));
    }
  }

  /** {@link #backwardWeight(OpPlan, INDArray, INDArray)} on the manager's backend's buffers; the {@code [K, C]} result is the caller's. */
  public static Buffer backwardWeight(OpPlan plan, Buffer input, Buffer gradOut) {
    SparseConvolution.checkGrad(plan, gradOut, input.cols());
    KernelMap map = plan.kernelMap();
    if (input.rows() != map.inRows()) {
      throw new IllegalArgumentException("input has " + input.rows() + " rows, the plan's input map " + map.inRows());
    }
    CoordinateManager cm = plan.manager();
    Buffer gw = OnBackend.gradient(cm, gradOut.dataType(), map.volume(), input.cols());
    cm.backend().channelwiseBackwardWeight(input, gradOut, map, gw, cm.memory());
    return gw;
  }
}
