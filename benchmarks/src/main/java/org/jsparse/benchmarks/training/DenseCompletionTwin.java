package org.jsparse.benchmarks.training;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling3DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AMSGrad;

/**
 * The dense twin of {@code CompletionNet} as a SameDiff graph, so that the dense side of the
 * training-memory table is a network that trains with ND4J's own autodiff, not arithmetic: the
 * same 7 levels and channels, every level a full grid (no pruning), NCDHW float32.
 *
 * <ul>
 *   <li>stem: 3x3x3 conv (SAME), batch norm, ReLU;
 *   <li>encoder level i: 2x2x2 stride-2 conv, norm, ReLU, then 3x3x3 conv, norm, ReLU;
 *   <li>decoder level i: stride-2 transposed conv (4x4x4 padding 1 at the coarsest level, 2x2x2
 *       after), norm, ReLU, 3x3x3 conv, norm, ReLU, plus the encoder's skip (the sparse union's
 *       sum), a 1x1x1 classifier whose logits meet the target max-pooled to that level in a mean
 *       sigmoid cross-entropy; the loss is the sum over the six levels, as {@code PruningUNet.loss};
 *   <li>the head: 1x1x1 conv to one logit at full resolution (the inference output).
 * </ul>
 *
 * Batch norm uses the batch's statistics through ND4J's {@code standardize} op (its backward is
 * the training-mode gradient; SameDiff's fused {@code batchNorm} has no working backward in
 * 1.0.0-M2.1), with an explicit {@code (x - mean) / sqrt(var + 1e-5)} on grids of under 1000
 * values, where a constant channel would divide by zero. Trained by {@link #trainingConfig()}:
 * AMSGrad at 1e-3, as the sparse network's Adam with amsgrad.
 */
public final class DenseCompletionTwin {
  /** The placeholder names: input occupancy and target occupancy, both {@code [B, 1, R, R, R]}. */
  public static final String INPUT = "input";
  public static final String TARGET = "target";
  /** The output variables: the summed loss and the head's full-resolution logits. */
  public static final String LOSS = "loss";
  public static final String HEAD = "head";

  private final SameDiff sd = SameDiff.create();
  private final int batch;
  private final int resolution;
  private final java.util.SplittableRandom random;
  private int layer;

  private DenseCompletionTwin(int[] channels, int resolution, int batch, long seed) {
    if (channels.length != 7 || resolution < 64 || Integer.bitCount(resolution) != 1) {
      throw new IllegalArgumentException("the dense twin needs 7 channel entries and a power-of-two resolution >= 64"
          + " (six stride-2 levels), got " + channels.length + " channels and R = " + resolution);
    }
    this.batch = batch;
    this.resolution = resolution;
    this.random = new java.util.SplittableRandom(seed);
    SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, batch, 1, resolution, resolution, resolution);
    SDVariable target = sd.placeHolder(TARGET, DataType.FLOAT, batch, 1, resolution, resolution, resolution);
    List<SDVariable> skips = new ArrayList<>();
    SDVariable h = convNormRelu(x, 1, channels[0], 3, 1, resolution);
    skips.add(h);
    for (int i = 1; i < 7; i++) {
      int side = resolution >> i;
      h = convNormRelu(h, channels[i - 1], channels[i], 2, 2, side);
      h = convNormRelu(h, channels[i], channels[i], 3, 1, side);
      skips.add(h);
    }
    SDVariable loss = null;
    for (int i = 6; i >= 1; i--) {
      int side = resolution >> (i - 1);
      h = transposedNormRelu(h, channels[i], channels[i - 1], i == 6 ? 4 : 2, side);
      h = convNormRelu(h, channels[i - 1], channels[i - 1], 3, 1, side);
      h = h.add(skips.get(i - 1));
      SDVariable logits = conv(h, channels[i - 1], 1, 1, 1, true);
      SDVariable occupancy = i == 1 ? target : sd.cnn().maxPooling3d(target, Pooling3DConfig.builder()
          .kD(1L << (i - 1)).kH(1L << (i - 1)).kW(1L << (i - 1)).sD(1L << (i - 1)).sH(1L << (i - 1))
          .sW(1L << (i - 1)).isSameMode(false).isNCDHW(true).build());
      SDVariable level = sd.loss().sigmoidCrossEntropy(occupancy, logits, null, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0);
      loss = loss == null ? level : loss.add(level);
    }
    sd.identity(LOSS, loss).markAsLoss();
    sd.identity(HEAD, conv(h, channels[0], 1, 1, 1, true));
  }

  /** The graph for this channel set, grid side and batch size; weights He-initialised from {@code seed}. */
  public static DenseCompletionTwin build(int[] channels, int resolution, int batch, long seed) {
    return new DenseCompletionTwin(channels, resolution, batch, seed);
  }

  public SameDiff graph() {
    return sd;
  }

  public int batch() {
    return batch;
  }

  public int resolution() {
    return resolution;
  }

  /** AMSGrad at 1e-3 with the placeholders mapped to a {@code DataSet}'s features and labels. */
  public static TrainingConfig trainingConfig() {
    return TrainingConfig.builder().updater(new AMSGrad(1e-3)).dataSetFeatureMapping(INPUT)
        .dataSetLabelMapping(TARGET).build();
  }

  /** Trainable values of the graph (weights, biases, norms' scales and shifts). */
  public long parameterCount() {
    long n = 0;
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
        n += v.getArr().length();
      }
    }
    return n;
  }

  private SDVariable convNormRelu(SDVariable in, int cin, int cout, int k, int stride, int side) {
    return sd.nn().relu(norm(conv(in, cin, cout, k, stride, false), cout, side), 0);
  }

  private SDVariable transposedNormRelu(SDVariable in, int cin, int cout, int k, int side) {
    String id = "t" + (layer++);
    SDVariable w = sd.var(id + "_w", he(cin * k * k * k, k, k, k, cout, cin));
    long pad = (k - 2) / 2;
    SDVariable y = sd.cnn().deconv3d(in, w, DeConv3DConfig.builder().kD(k).kH(k).kW(k).sD(2).sH(2).sW(2)
        .pD(pad).pH(pad).pW(pad).dD(1).dH(1).dW(1).isSameMode(false).dataFormat("NCDHW").build());
    return sd.nn().relu(norm(y, cout, side), 0);
  }

  private SDVariable conv(SDVariable in, int cin, int cout, int k, int stride, boolean bias) {
    String id = "c" + (layer++);
    SDVariable w = sd.var(id + "_w", he(cin * k * k * k, k, k, k, cin, cout));
    Conv3DConfig config = Conv3DConfig.builder().kD(k).kH(k).kW(k).sD(stride).sH(stride).sW(stride)
        .pD(k == 3 ? 1 : 0).pH(k == 3 ? 1 : 0).pW(k == 3 ? 1 : 0).dD(1).dH(1).dW(1)
        .paddingMode(k == 3 ? PaddingMode.SAME : PaddingMode.VALID).dataFormat("NCDHW").build();
    return bias ? sd.cnn().conv3d(in, w, sd.var(id + "_b", Nd4j.zeros(DataType.FLOAT, cout)), config)
        : sd.cnn().conv3d(in, w, config);
  }

  private SDVariable norm(SDVariable in, int channels, int side) {
    String id = "n" + (layer++);
    SDVariable gamma = sd.var(id + "_g", Nd4j.ones(DataType.FLOAT, 1, channels, 1, 1, 1));
    SDVariable beta = sd.var(id + "_b", Nd4j.zeros(DataType.FLOAT, 1, channels, 1, 1, 1));
    SDVariable standardized;
    if ((long) batch * side * side * side >= 1000) {
      standardized = sd.math().standardize(in, 0, 2, 3, 4);
    } else {
      SDVariable centred = in.sub(in.mean(true, 0, 2, 3, 4));
      SDVariable variance = centred.mul(centred).mean(true, 0, 2, 3, 4);
      standardized = centred.div(sd.math().sqrt(variance.add(1e-5)));
    }
    return standardized.mul(gamma).add(beta);
  }

  private org.nd4j.linalg.api.ndarray.INDArray he(int fanIn, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    float[] values = new float[(int) n];
    double std = Math.sqrt(2.0 / fanIn);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (std * gaussian());
    }
    return Nd4j.create(values, shape, DataType.FLOAT);
  }

  private double gaussian() {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
