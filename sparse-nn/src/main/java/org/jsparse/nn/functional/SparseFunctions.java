package org.jsparse.nn.functional;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.ops.ChannelOps;
import org.jsparse.core.ops.GlobalPooling;
import org.jsparse.core.ops.PoolingMode;
import org.jsparse.core.ops.SparsePooling;
import org.jsparse.core.ops.SparseUnion;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.core.ops.OpPlan;
import org.jsparse.core.ops.SparseConvolution;
import org.jsparse.core.ops.SparsePruning;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.NoGrad;
import org.jsparse.nn.autograd.BufferNode;
import org.jsparse.nn.autograd.DenseOutputNode;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Differentiable sparse ops: each runs the core op forward and records a node whose backward
 * calls the core op's backward function with what the forward saved.
 */
public final class SparseFunctions {
  private SparseFunctions() {}

  /** Convolution of any geometry; {@code bias} may be null. */
  public static Variable conv(Variable x, Variable weight, Variable bias, ConvolutionSpec spec) {
    return conv(x, weight, bias, spec, null);
  }

  /**
   * Convolution with an explicit output map for a TRANSPOSED spec ({@code outKey} null: the map
   * {@code x} was derived from at the target stride).
   */
  public static Variable conv(Variable x, Variable weight, Variable bias, ConvolutionSpec spec, CoordinateMapKey outKey) {
    return conv(x, weight, bias, spec, outKey, false);
  }

  /**
   * As {@link #conv(Variable, Variable, Variable, ConvolutionSpec, CoordinateMapKey)}; with
   * {@code rebuildKernelMap} the kernel map is freed right after the forward pass (when a backward
   * pass will run, or under {@link NoGrad}, where none will) and built again for the backward pass,
   * then freed again: its pairs are not held through the step. Only worth it when no other op of
   * the forward pass uses the same map.
   */
  public static Variable conv(Variable x, Variable weight, Variable bias, ConvolutionSpec spec, CoordinateMapKey outKey,
      boolean rebuildKernelMap) {
    SparseTensor in = requireSparse(x, "conv");
    OpPlan plan = SparseConvolution.plan(in, spec, outKey);
    SparseTensor out = convolutionForward(in, weight, bias, plan);
    boolean recording = !NoGrad.active() && (x.requiresGrad() || weight.requiresGrad()
        || (bias != null && bias.requiresGrad()));
    if (rebuildKernelMap && (recording || NoGrad.active())) {
      plan.releaseMap(); // no backward will read it (NoGrad), or it will build it again (recording)
    }
    Variable[] inputs = bias == null ? new Variable[] {x, weight} : new Variable[] {x, weight, bias};
    Node node = new BufferNode(inputs) {
      {
        readsInBackward(x); // the weight gradient reads the input
        outputNotReadInBackward();
      }

      @Override
      protected Buffer[] backwardBuffers(Buffer g) {
        Buffer[] grads = new Buffer[inputs().length];
        // each gradient expands a half-stored map's other half in parts, one part at a time: less
        // memory than one lease on the whole expansion for both
        if (needsGrad(0)) {
          grads[0] = Elementwise.residentOn(in.manager().backend(), weight)
              ? SparseConvolution.backwardInput(plan, g, weight.buffer())
              : SparseConvolution.backwardInput(plan, g, weight.data());
        }
        grads[1] = needsGrad(1) ? SparseConvolution.backwardWeight(plan, in.buffer(), g) : null;
        if (rebuildKernelMap) {
          plan.releaseMap();
        }
        if (grads.length == 3 && needsGrad(2)) {
          grads[2] = Elementwise.columnSums(in.manager().backend(), g, bias.dataType());
        }
        return grads;
      }
    };
    Variable y = Variables.result(out, node);
    return Variables.withRecipe(y, new Variable.Recipe() {
      @Override
      public Variable source() {
        return x;
      }

      @Override
      public SparseTensor remake() {
        return convolutionForward(in, weight, bias, plan);
      }
    });
  }

  /** The forward pass on the weights where they are: the backend's own buffers, or host arrays sent per call. */
  private static SparseTensor convolutionForward(SparseTensor in, Variable weight, Variable bias, OpPlan plan) {
    return Elementwise.residentOn(in.manager().backend(), weight, bias)
        ? SparseConvolution.forward(in, weight.buffer(), bias == null ? null : bias.buffer(), plan)
        : SparseConvolution.forward(in, weight.data(), bias == null ? null : bias.data(), plan);
  }

  /** {@code x W + b} on every row: a 1x1 convolution without a kernel map. {@code bias} may be null. */
  public static Variable linear(Variable x, Variable weight, Variable bias) {
    long[] ws = weight.shape();
    if (ws.length != 2 || ws[0] != x.shape()[1]) {
      throw new IllegalArgumentException(
          "linear weight must be [Cin=" + x.shape()[1] + ", Cout], got " + java.util.Arrays.toString(ws)
              + "; the input has " + x.shape()[1] + " channels");
    }
    if (weight.dataType() != x.dataType()) {
      throw new IllegalArgumentException(
          "weight is " + weight.dataType() + " but features are " + x.dataType() + "; use one data type");
    }
    Backend be = Elementwise.backendOf(x);
    long n = x.rows();
    long cin = ws[0];
    long cout = ws[1];
    DataType type = weight.dataType();
    Buffer out = Elementwise.newLike(be, x, "linear", cout);
    try (Operand wb = Operand.of(be, weight, cin)) {
      be.gemm(Elementwise.buffer(be, x), false, wb.buffer(), false, 0.0, out);
    }
    if (bias != null) {
      try (Operand bb = Operand.of(be, bias, 1)) {
        be.addRowVector(bb.buffer(), out);
      }
    }
    Variable[] inputs = bias == null ? new Variable[] {x, weight} : new Variable[] {x, weight, bias};
    Node node = new BufferNode(inputs) {
      {
        readsInBackward(x);
        outputNotReadInBackward();
      }

      @Override
      protected INDArray[] backward(INDArray g) { // a dense value, on the host backend: the buffer rule, seen as arrays
        Buffer[] b;
        try (Buffer gb = be.borrow(g, n)) {
          b = backwardBuffers(gb);
        }
        long[][] shapes = {{n, cin}, ws, bias == null ? null : bias.shape()};
        INDArray[] grads = new INDArray[b.length];
        for (int i = 0; i < b.length; i++) {
          grads[i] = b[i] == null ? null : be.toINDArray(b[i], shapes[i]);
        }
        return grads;
      }

      @Override
      protected Buffer[] backwardBuffers(Buffer g) {
        Buffer[] grads = new Buffer[inputs().length];
        if (needsGrad(0)) {
          grads[0] = be.zeros(null, null, "gradient", type, n, cin);
          try (Operand wb = Operand.of(be, weight, cin)) {
            be.gemm(g, false, wb.buffer(), true, 0.0, grads[0]);
          }
        }
        if (needsGrad(1)) {
          grads[1] = be.zeros(null, null, "gradient", type, cin, cout);
          be.gemm(Elementwise.buffer(be, x), true, g, false, 0.0, grads[1]);
        }
        if (grads.length == 3) {
          grads[2] = Elementwise.columnSums(be, g, type);
        }
        return grads;
      }
    };
    return Elementwise.result(x, out, node);
  }

  /** {@code factor * x}. */
  public static Variable scale(Variable x, double factor) {
    Backend be = Elementwise.backendOf(x);
    Buffer out = Elementwise.newLike(be, x, "scale");
    be.scale(Elementwise.buffer(be, x), factor, out);
    Node node = new BufferNode(x) {
      @Override
      protected INDArray[] backward(INDArray g) { // a dense value: the buffer rule on the host's view of g
        return new INDArray[] {Elementwise.overwrite(be, g, this::backwardBuffers)};
      }

      @Override
      protected Buffer[] backwardBuffers(Buffer g) {
        be.scale(g, factor, g);
        return new Buffer[] {g};
      }
    };
    return Elementwise.result(x, out, node);
  }

  /** Sum of two values on the same coordinates (a residual connection). */
  public static Variable add(Variable a, Variable b) {
    INDArray y = null;
    SparseTensor t = null;
    if (a.tensor() != null && b.tensor() != null) {
      t = ChannelOps.add(a.tensor(), b.tensor());
    } else {
      y = a.data().add(b.data());
    }
    Node node = new BufferNode(a, b) {
      @Override
      protected INDArray[] backward(INDArray g) {
        return new INDArray[] {g, g};
      }

      @Override
      protected Buffer[] backwardBuffers(Buffer g) {
        return new Buffer[] {g, g};
      }
    };
    return t == null ? Variables.result(y, node) : Variables.result(t, node);
  }

  /** Channel concatenation of tensors on one coordinate map (a U-Net skip). */
  public static Variable concat(List<Variable> xs) {
    List<SparseTensor> ts = new ArrayList<>();
    int[] channels = new int[xs.size()];
    for (int i = 0; i < xs.size(); i++) {
      ts.add(requireSparse(xs.get(i), "concat"));
      channels[i] = ts.get(i).channels();
    }
    SparseTensor out = ChannelOps.concat(ts);
    Node node = new BufferNode(xs.toArray(new Variable[0])) {

      @Override
      protected Buffer[] backwardBuffers(Buffer g) {
        return ChannelOps.concatBackward(out, channels, g).toArray(new Buffer[0]);
      }
    };
    return Variables.result(out, node);
  }

  /** Keeps the sites where {@code keep} is true. */
  public static Variable prune(Variable x, boolean[] keep) {
    SparsePruning.Result r = SparsePruning.forward(requireSparse(x, "prune"), keep);
    Node node = new BufferNode(x) {
      {
        outputNotReadInBackward();
      }

      @Override
      protected Buffer[] backwardBuffers(Buffer g) {
        return new Buffer[] {SparsePruning.backward(r, g)};
      }
    };
    return Variables.result(r.output(), node);
  }

  /** Sums tensors on the union of their coordinate maps (sites missing in one input count as 0 there). */
  public static Variable union(List<Variable> xs) {
    List<SparseTensor> ts = new ArrayList<>();
    for (Variable x : xs) {
      ts.add(requireSparse(x, "union"));
    }
    SparseUnion.Result r = SparseUnion.forward(ts);
    Node node = new BufferNode(xs.toArray(new Variable[0])) {
      {
        outputNotReadInBackward();
      }

      @Override
      protected Buffer[] backwardBuffers(Buffer g) {
        return SparseUnion.backward(r, g).toArray(new Buffer[0]);
      }
    };
    return Variables.result(r.output(), node);
  }

  /** Max, average or sum pooling over {@code region} with {@code stride}. */
  public static Variable pool(Variable x, KernelRegion region, int[] stride, PoolingMode mode) {
    SparsePooling.Result r = SparsePooling.forward(requireSparse(x, "pooling"), region, stride, mode);
    if (!x.requiresGrad() || NoGrad.active()) {
      return Variables.result(r.output(), null); // nothing saved: no backward will run
    }
    Node node = new BufferNode(x) {
      {
        if (r.savedBytes() > 0) {
          save(Matrices.ledger(x), r.savedBytes());
        }
      }

      @Override
      protected Buffer[] backwardBuffers(Buffer g) {
        return new Buffer[] {SparsePooling.backward(r, g)};
      }
    };
    return Variables.result(r.output(), node);
  }

  /** Reduces every batch item to one row: a dense {@code [B, C]} value. */
  public static Variable globalPool(Variable x, PoolingMode mode) {
    SparseTensor t = requireSparse(x, "global pooling");
    GlobalPooling.Result r = GlobalPooling.forward(t, mode);
    Node node = new DenseOutputNode(x) {
      @Override
      protected Buffer[] backwardToBuffers(INDArray g) {
        return new Buffer[] {GlobalPooling.backwardBuffer(t, r, g)};
      }
    };
    return Variables.result(r.pooled(), node);
  }

  /**
   * Inverted dropout: zeroes each feature with probability {@code p} and scales the rest by
   * {@code 1/(1-p)}; the mask is drawn from {@code rnd} (one long: the mask's seed), so a seeded
   * generator gives a repeatable mask.
   */
  public static Variable dropout(Variable x, double p, SplittableRandom rnd) {
    return dropout(x, p, rnd.nextLong());
  }

  /**
   * Inverted dropout with the mask of {@code seed} ({@link org.jsparse.core.backend.DropoutMask}):
   * drawn by the backend where the features are, the same on every backend, and drawn again by the
   * backward pass instead of being kept (no mask-sized memory between forward and backward).
   */
  public static Variable dropout(Variable x, double p, long seed) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
    }
    Backend be = Elementwise.backendOf(x);
    Buffer out = Elementwise.newLike(be, x, "dropout");
    be.dropout(Elementwise.buffer(be, x), seed, p, out);
    if (!x.requiresGrad() || NoGrad.active()) {
      return Elementwise.result(x, out, null);
    }
    Node node = new BufferNode(x) {
      @Override
      protected INDArray[] backward(INDArray g) { // a dense value: the buffer rule on the host's view of g
        return new INDArray[] {Elementwise.overwrite(be, g, this::backwardBuffers)};
      }

      @Override
      protected Buffer[] backwardBuffers(Buffer g) {
        be.dropout(g, seed, p, g);
        return new Buffer[] {g};
      }
    };
    return Elementwise.result(x, out, node);
  }

  static SparseTensor requireSparse(Variable x, String op) {
    if (x.tensor() == null) {
      throw new IllegalArgumentException(op + " needs a sparse value (a Variable made from a SparseTensor)");
    }
    return x.tensor();
  }
}
