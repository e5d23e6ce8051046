package org.jsparse.nn.functional;

import org.jsparse.core.backend.Buffer;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.ops.ChannelwiseConvolution;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.core.ops.OpPlan;
import org.jsparse.core.ops.SparseConvolution;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.BufferNode;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;

/** Differentiable channel-wise (depthwise) convolution: weight {@code [K, C]}, one kernel per channel. */
public final class Channelwise {
  private Channelwise() {}

  /**
   * Channel-wise convolution of any geometry of {@code spec}; {@code bias} ({@code [C]}) may be
   * null; {@code outKey} is the target map of a TRANSPOSED spec (null: the map x came from).
   */
  public static Variable convolution(Variable x, Variable weight, Variable bias, ConvolutionSpec spec,
      CoordinateMapKey outKey) {
    SparseTensor in = SparseFunctions.requireSparse(x, "channel-wise convolution");
    OpPlan plan = SparseConvolution.plan(in, spec, outKey);
    SparseTensor out = Elementwise.residentOn(in.manager().backend(), weight, bias)
        ? ChannelwiseConvolution.forward(in, weight.buffer(), bias == null ? null : bias.buffer(), plan)
        : ChannelwiseConvolution.forward(in, weight.data(), bias == null ? null : bias.data(), plan);
    Variable[] inputs = bias == null ? new Variable[] {x, weight} : new Variable[] {x, weight, bias};
    Node node = new BufferNode(inputs) {
      {
        readsInBackward(x); // the weight gradient reads the input
        outputNotReadInBackward();
      }

      @Override
      protected Buffer[] backwardBuffers(Buffer g) {
        Buffer[] grads = new Buffer[inputs().length];
        if (needsGrad(0)) {
          grads[0] = Elementwise.residentOn(in.manager().backend(), weight)
              ? ChannelwiseConvolution.backwardInput(plan, g, weight.buffer())
              : ChannelwiseConvolution.backwardInput(plan, g, weight.data());
        }
        grads[1] = needsGrad(1) ? ChannelwiseConvolution.backwardWeight(plan, in.buffer(), g) : null;
        if (grads.length == 3 && needsGrad(2)) {
          grads[2] = Elementwise.columnSums(in.manager().backend(), g, bias.dataType());
        }
        return grads;
      }
    };
    return Variables.result(out, node);
  }
}
