package org.jsparse.nn.functional;

import java.util.ArrayList;
import java.util.List;
import org.jsparse.core.ops.ChannelOps;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.core.ops.OpPlan;
import org.jsparse.core.ops.SparseConvolution;
import org.jsparse.core.ops.SparsePruning;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Differentiable sparse ops: each runs the core op forward and records a node whose backward
 * calls the core op's backward function with what the forward saved.
 */
public final class SparseFunctions {
  private SparseFunctions() {}

  /** Convolution of any geometry; {@code bias} may be null. */
  public static Variable conv(Variable x, Variable weight, Variable bias, ConvolutionSpec spec) {
    SparseTensor in = requireSparse(x, "conv");
    OpPlan plan = SparseConvolution.plan(in, spec);
    SparseTensor out = SparseConvolution.forward(in, weight.data(), bias == null ? null : bias.data(), plan);
    Variable[] inputs = bias == null ? new Variable[] {x, weight} : new Variable[] {x, weight, bias};
    Node node = new Node(inputs) {
      {
        save(in.manager().memory(), in.features());
      }

      @Override
      protected INDArray[] backward(INDArray g) {
        INDArray[] grads = new INDArray[inputs().length];
        grads[0] = needsGrad(0) ? SparseConvolution.backwardInput(plan, g, weight.data()) : null;
        grads[1] = needsGrad(1) ? SparseConvolution.backwardWeight(plan, in.features(), g) : null;
        if (grads.length == 3 && needsGrad(2)) {
          grads[2] = SparseConvolution.backwardBias(g).reshape(bias.data().shape());
        }
        return grads;
      }
    };
    return Variables.result(out, node);
  }

  /** max(x, 0) on the features. */
  public static Variable relu(Variable x) {
    INDArray mask = x.data().gt(0).castTo(x.data().dataType());
    INDArray y = x.data().mul(mask);
    Node node = new Node(x) {
      @Override
      protected INDArray[] backward(INDArray g) {
        return new INDArray[] {g.mul(mask)};
      }
    };
    return x.tensor() == null ? Variables.result(y, node) : Variables.result(x.tensor().withFeatures(y), node);
  }

  /** Sum of two values on the same coordinates (a residual connection). */
  public static Variable add(Variable a, Variable b) {
    INDArray y;
    SparseTensor t = null;
    if (a.tensor() != null && b.tensor() != null) {
      t = ChannelOps.add(a.tensor(), b.tensor());
      y = t.features();
    } else {
      y = a.data().add(b.data());
    }
    Node node = new Node(a, b) {
      @Override
      protected INDArray[] backward(INDArray g) {
        return new INDArray[] {g, g};
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
    Node node = new Node(xs.toArray(new Variable[0])) {
      @Override
      protected INDArray[] backward(INDArray g) {
        return ChannelOps.concatBackward(out, channels, g).toArray(new INDArray[0]);
      }
    };
    return Variables.result(out, node);
  }

  /** Keeps the sites where {@code keep} is true. */
  public static Variable prune(Variable x, boolean[] keep) {
    SparsePruning.Result r = SparsePruning.forward(requireSparse(x, "prune"), keep);
    Node node = new Node(x) {
      @Override
      protected INDArray[] backward(INDArray g) {
        return new INDArray[] {SparsePruning.backward(r, g)};
      }
    };
    return Variables.result(r.output(), node);
  }

  /** Mean squared error between {@code x} and a target of the same shape, as a scalar. */
  public static Variable mse(Variable x, INDArray target) {
    if (!x.data().equalShapes(target)) {
      throw new IllegalArgumentException(
          "mse target has shape " + java.util.Arrays.toString(target.shape()) + ", the prediction "
              + java.util.Arrays.toString(x.data().shape()));
    }
    INDArray diff = x.data().sub(target);
    long n = diff.length();
    INDArray loss = Nd4j.scalar(diff.dataType(), diff.mul(diff).sumNumber().doubleValue() / n).reshape(1, 1);
    Node node = new Node(x) {
      @Override
      protected INDArray[] backward(INDArray g) {
        return new INDArray[] {diff.mul(2.0 * g.getDouble(0) / n)};
      }
    };
    return Variables.result(loss, node);
  }

  private static SparseTensor requireSparse(Variable x, String op) {
    if (x.tensor() == null) {
      throw new IllegalArgumentException(op + " needs a sparse value (a Variable made from a SparseTensor)");
    }
    return x.tensor();
  }
}
