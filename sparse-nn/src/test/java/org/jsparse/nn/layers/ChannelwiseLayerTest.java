package org.jsparse.nn.layers;

import static org.jsparse.nn.testing.NnTesting.checkGradients;
import static org.jsparse.nn.testing.NnTesting.randomTensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.nn.Initializer;
import org.jsparse.nn.autograd.Variable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The channel-wise convolution layer's gradients (input, weight, bias) against finite differences, in double. */
class ChannelwiseLayerTest {
  @Test
  void submanifoldStridedAndGenerativeChannelwiseLayersDifferentiate() {
    Random rnd = new Random(3);
    for (ConvolutionSpec spec : new ConvolutionSpec[] {ConvolutionSpec.submanifold(KernelRegion.cube(3, 3)),
        ConvolutionSpec.strided(KernelRegion.cube(3, 2), 2, 2, 2), ConvolutionSpec.generative(KernelRegion.cube(3, 2), 2, 2, 2)}) {
      ChannelwiseConvolution layer = new ChannelwiseConvolution(spec, 3, true, DataType.DOUBLE, Initializer.kaimingNormal(), 4);
      try (CoordinateManager cm = new CoordinateManager(3)) {
        Variable x = Variable.of(randomTensor(cm, rnd, 14, 3, 4), true);
        List<Variable> wrt = new ArrayList<>(List.of(x));
        layer.parameters().forEach(p -> {
          p.data().addi(0.1); // the bias starts at 0: test at a generic point
          wrt.add(p.variable());
        });
        if (spec.mode() == org.jsparse.core.ops.ConvolutionMode.GENERATIVE) {
          // generation goes to a finer stride: feed it a strided input
          Convolution down = Convolution.builder().setDimension(3).setChannels(3, 3).setKernelSize(2).optStride(2)
              .optDataType(DataType.DOUBLE).optSeed(8).build();
          checkGradients(() -> layer.forward(down.forward(x)), wrt, "channel-wise generative");
        } else {
          checkGradients(() -> layer.forward(x), wrt, "channel-wise " + spec.mode());
        }
      }
    }
  }
}
