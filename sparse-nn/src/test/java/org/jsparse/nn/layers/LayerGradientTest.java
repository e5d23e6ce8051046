package org.jsparse.nn.layers;

import static org.jsparse.nn.testing.NnTesting.checkGradients;
import static org.jsparse.nn.testing.NnTesting.randomTensor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.ops.PoolingMode;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Layer;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.backend.SeparateMemoryBackend;
import org.jsparse.nn.functional.SparseFunctions;
import org.jsparse.nn.testing.NnTesting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finite-difference gradient checks, in double precision, of every layer (input and parameters),
 * and the same layer on a backend with memory of its own ({@link SeparateMemoryBackend}), its
 * parameters moved there, giving the CPU's output and gradients bit for bit.
 */
class LayerGradientTest {
  private final Random rnd = new Random(11);

  /** Checks d/dx and d/dparams of a layer on a random D-dimensional input. */
  private void check(Layer layer, int dimension, int sites, int channels, int extent, String what) {
    layer.castTo(DataType.DOUBLE);
    perturbNonWeights(layer);
    try (CoordinateManager cm = new CoordinateManager(dimension)) {
      SparseTensor t = randomTensor(cm, rnd, sites, channels, extent);
      Variable x = Variable.of(t, true);
      List<Variable> wrt = new ArrayList<>(List.of(x));
      layer.parameters().forEach(p -> wrt.add(p.variable()));
      checkGradients(() -> layer.forward(x), wrt, what);
    }
    long seed = rnd.nextLong();
    List<INDArray> onCpu;
    try (Backend cpu = Backends.cpu()) {
      onCpu = forwardBackward(layer, cpu, dimension, seed, sites, channels, extent);
    }
    try (SeparateMemoryBackend separate = new SeparateMemoryBackend()) {
      List<INDArray> onSeparate = forwardBackward(layer, separate, dimension, seed, sites, channels, extent);
      for (int i = 0; i < onCpu.size(); i++) {
        assertEquals(onCpu.get(i), onSeparate.get(i), what + ": output, then gradients of the input and parameters, on a "
            + "backend with memory of its own as on the CPU (entry " + i + ")");
      }
      assertEquals(0, separate.openBorrowed(), separate::openBorrowedSites);
    }
  }

  /** The output and the gradients of the input and every parameter for one forward and backward pass on {@code backend}. */
  private static List<INDArray> forwardBackward(Layer layer, Backend backend, int dimension, long seed, int sites,
      int channels, int extent) {
    layer.to(backend); // on separate memory the parameters and their gradients live there too
    try (CoordinateManager cm = new CoordinateManager(dimension, backend)) {
      Variable x = Variable.of(randomTensor(cm, new Random(seed), sites, channels, extent), true);
      layer.zeroGrad();
      Variable y = layer.forward(x);
      List<INDArray> values = new ArrayList<>(List.of(y.data().dup()));
      y.backward(NnTesting.uniform(new Random(seed + 1), y.shape()).castTo(y.dataType()));
      values.add(x.grad().dup());
      for (Parameter p : layer.parameters()) {
        values.add(p.grad() == null ? null : p.grad().dup());
      }
      return values;
    } finally {
      layer.to(Backends.cpu());
    }
  }

  /** Biases and norm scales start at 0/1; move them so their gradients are tested at a generic point. */
  private void perturbNonWeights(Layer layer) {
    for (Parameter p : layer.parameters()) {
      if (p.role() != Parameter.Role.WEIGHT) {
        for (long i = 0; i < p.size(); i++) {
          p.data().putScalar(i, p.data().getDouble(i) + rnd.nextDouble() - 0.5);
        }
      }
    }
  }

  private static Convolution.Builder conv(Convolution.Builder b, int d, int in, int out, int k) {
    return b.setChannels(in, out).setDimension(d).setKernelSize(k);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4})
  void submanifoldConvolutionWithBias(int d) {
    check(conv(Convolution.builder(), d, 2, 3, 3).optBias(true).optSeed(d).build(), d, 14, 2, d == 1 ? 12 : 4, "submanifold D=" + d);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4})
  void stridedConvolution(int d) {
    check(conv(Convolution.builder(), d, 2, 3, 2).optStride(2).build(), d, 14, 2, d == 1 ? 12 : 4, "strided D=" + d);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void generativeTransposedConvolution(int d) {
    Convolution down = conv(Convolution.builder(), d, 2, 2, 2).optStride(2).optSeed(2).build();
    Convolution gen = conv(Convolution.generativeBuilder(), d, 2, 2, 2).optStride(2).optBias(true).build();
    check(new Sequential(down, gen), d, 10, 2, d == 1 ? 12 : 4, "down + generative D=" + d);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 4})
  void transposedConvolutionBackOntoTheFinerMap(int d) {
    Convolution down = conv(Convolution.builder(), d, 2, 3, 2).optStride(2).optSeed(3).build();
    Convolution up = conv(Convolution.transposedBuilder(), d, 3, 2, 2).optStride(2).optSeed(4).build();
    check(new Sequential(down, up), d, 14, 2, d == 1 ? 12 : 4, "down + transposed D=" + d);
  }

  @Test
  void anisotropicSpaceTimeKernel() {
    Convolution c = Convolution.builder().setChannels(2, 2).setDimension(3).setKernelSize(3, 3, 1)
        .optStride(2, 2, 1).build();
    check(c, 3, 16, 2, 4, "3x3x1 stride 2,2,1");
  }

  @Test
  void linear() {
    check(new Linear(3, 2), 3, 10, 3, 4, "linear");
  }

  @Test
  void batchNormTrainingAndInference() {
    BatchNorm bn = new BatchNorm(3);
    check(bn, 2, 15, 3, 5, "batch norm (training)");
    bn.eval();
    check(bn, 2, 15, 3, 5, "batch norm (inference)");
  }

  @Test
  void instanceNormPerBatchItem() {
    check(new InstanceNorm(3), 3, 20, 3, 4, "instance norm");
  }

  @Test
  void activations() {
    check(Activation.relu(), 2, 12, 3, 5, "relu");
    check(Activation.leakyRelu(0.1), 2, 12, 3, 5, "leaky relu");
    check(Activation.elu(), 2, 12, 3, 5, "elu");
    check(Activation.gelu(), 2, 12, 3, 5, "gelu");
    check(Activation.sigmoid(), 2, 12, 3, 5, "sigmoid");
  }

  @Test
  void dropoutWithAFixedMask() {
    check(functional(x -> SparseFunctions.dropout(x, 0.4, new SplittableRandom(5))), 2, 12, 3, 5, "dropout");
  }

  @Test
  void pooling() {
    check(Pooling.max(2, 2, 2), 3, 30, 2, 4, "max pool");
    check(Pooling.average(2, 2, 2), 3, 30, 2, 4, "avg pool");
    check(new Pooling(PoolingMode.MAX, new int[] {3, 3}, new int[] {2, 2}), 2, 20, 2, 6, "overlapping max pool");
    check(new Pooling(PoolingMode.AVERAGE, new int[] {2, 2, 4}, new int[] {2, 2, 4}), 3, 30, 2, 8, "space-time avg pool");
  }

  @Test
  void globalPooling() {
    check(new GlobalPool(PoolingMode.MAX), 2, 12, 3, 5, "global max");
    check(new GlobalPool(PoolingMode.AVERAGE), 2, 12, 3, 5, "global avg");
  }

  @Test
  void concatAddUnionResidual() {
    Convolution a = conv(Convolution.builder(), 2, 2, 2, 3).optSeed(1).build();
    Convolution b = conv(Convolution.builder(), 2, 2, 3, 3).optSeed(2).build();
    Concat cat = new Concat();
    check(functional(x -> cat.forward(a.forward(x), b.forward(x)), a, b), 2, 12, 2, 5, "concat");
    Add add = new Add();
    check(functional(x -> add.forward(x, a.forward(x)), a), 2, 12, 2, 5, "add");
    check(new Residual(new Sequential(a, Activation.elu())), 2, 12, 2, 5, "residual");
    Convolution down = conv(Convolution.builder(), 2, 2, 2, 2).optStride(2).build();
    Convolution gen = conv(Convolution.generativeBuilder(), 2, 2, 2, 2).optStride(2).build();
    Union union = new Union();
    Convolution same = conv(Convolution.builder(), 2, 2, 2, 3).optSeed(9).build();
    check(functional(x -> union.forward(gen.forward(down.forward(x)), same.forward(x)), down, gen, same), 2, 14, 2, 6,
        "union of a generated and the input map");
  }

  @Test
  void pruningPassesGradientsToKeptSites() {
    Convolution cls = conv(Convolution.builder(), 2, 2, 1, 3).optSeed(4).build();
    cls.castTo(DataType.DOUBLE);
    Pruning prune = new Pruning();
    Convolution body = conv(Convolution.builder(), 2, 2, 2, 3).optSeed(5).build();
    // the keep decision has no gradient: the classifier is not among the checked inputs
    check(functional(x -> prune.forward(body.forward(x), cls.forward(x), null).output(), body), 2, 20, 2, 5, "pruning");
  }

  /** Wraps a function of the input as a layer whose parameters are those of {@code owners}. */
  private static Layer functional(Function<Variable, Variable> f, Layer... owners) {
    return new Layer() {
      {
        for (int i = 0; i < owners.length; i++) {
          register("m" + i, owners[i]);
        }
      }

      @Override
      public Variable forward(Variable x) {
        return f.apply(x);
      }
    };
  }
}
