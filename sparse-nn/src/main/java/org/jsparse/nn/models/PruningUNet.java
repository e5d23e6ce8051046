package org.jsparse.nn.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Initializer;
import org.jsparse.nn.Layer;
import org.jsparse.nn.Module;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.Losses;
import org.jsparse.nn.functional.SparseFunctions;
import org.jsparse.nn.layers.Activation;
import org.jsparse.nn.layers.Convolution;
import org.jsparse.nn.layers.Linear;
import org.jsparse.nn.layers.Pruning;
import org.jsparse.nn.layers.Sequential;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A generative pruning U-Net of any depth and dimension (the completion network's family).
 * Encoder: a k3 conv block, then per level a k2 stride-2 conv block and a k3 conv block.
 * Decoder, per level from the coarsest: a generative transposed conv block (stride 2; the first
 * with kernel {@code firstDecoderKernel}), a k3 conv block, the encoder skip added on the union
 * of the two maps, a 1x1 classifier (logits) and pruning of the sites whose logit is not
 * positive (in training, the target's sites are kept as well, except at the finest level). A 1x1
 * head gives the final logits. Every conv is followed by batch norm and the activation.
 */
public final class PruningUNet extends Module {
  private final int dimension;
  private final int inChannels;
  private final int[] channels;
  private final boolean skips;
  private final Sequential stem;
  private final List<Sequential> encoder = new ArrayList<>();
  private final List<Sequential> decoder = new ArrayList<>();
  private final List<Linear> classifiers = new ArrayList<>();
  private final Linear head;
  private final Pruning pruning;

  private PruningUNet(Builder b) {
    this.dimension = b.dimension;
    this.inChannels = b.inChannels;
    this.channels = b.channels.clone();
    this.skips = b.skips;
    Blocks.Settings s = new Blocks.Settings(b.dimension, b.dataType, b.seed, b.activation, b.recompute,
        b.rebuildKernelMaps);
    int[] two = Blocks.uniform(dimension, 2);
    stem = register("stem", Blocks.submanifold(inChannels, channels[0], 3, s));
    for (int i = 1; i < channels.length; i++) {
      Sequential enc = Blocks.convBnAct(Convolution.builder(), channels[i - 1], channels[i], two, two, s);
      Sequential conv = Blocks.submanifold(channels[i], channels[i], 3, s);
      for (Layer l : conv.layers()) {
        enc.add(l);
      }
      encoder.add(register("enc" + i, enc));
    }
    for (int i = channels.length - 1; i >= 1; i--) {
      int k = i == channels.length - 1 ? b.firstDecoderKernel : 2;
      Sequential dec = Blocks.convBnAct(Convolution.generativeBuilder(), channels[i], channels[i - 1],
          Blocks.uniform(dimension, k), two, s);
      for (Layer l : Blocks.submanifold(channels[i - 1], channels[i - 1], 3, s).layers()) {
        dec.add(l);
      }
      decoder.add(register("dec" + i, dec));
      classifiers.add(register("cls" + i, new Linear(channels[i - 1], 1, true, b.dataType, b.initializer, b.seed)));
    }
    head = register("head", new Linear(channels[0], 1, true, b.dataType, b.initializer, b.seed));
    pruning = register("pruning", new Pruning(0));
    initialize(b.initializer, b.seed);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * What one forward pass made.
   *
   * @param logits final logits on the surviving stride-1 sites (sigmoid gives occupancy)
   * @param levelLogits classifier logits per decoder level, coarsest first, on the sites before pruning
   * @param keptSites sites kept by each level's pruning
   */
  public record Output(Variable logits, List<Variable> levelLogits, int[] keptSites) {}

  /**
   * Runs the network. {@code target} (ground truth at stride 1 on the input's manager) drives
   * teacher forcing in training mode; it may be null.
   */
  public Output forward(Variable x, SparseTensor target) {
    if (x.tensor() == null || x.tensor().dimension() != dimension || x.tensor().channels() != inChannels) {
      throw new IllegalArgumentException("PruningUNet expects a sparse D=" + dimension + " input with " + inChannels
          + " channels, got " + (x.tensor() == null ? "a dense value" : x.tensor()));
    }
    if (target != null) {
      x.tensor().requireSameManager(target, "PruningUNet target");
    }
    List<Variable> skip = new ArrayList<>();
    Variable h = stem.forward(x);
    skip.add(h);
    for (Sequential enc : encoder) {
      h = enc.forward(h);
      skip.add(h);
    }
    List<Variable> levelLogits = new ArrayList<>();
    int[] kept = new int[decoder.size()];
    for (int j = 0; j < decoder.size(); j++) {
      h = decoder.get(j).forward(h);
      if (skips) {
        h = SparseFunctions.union(List.of(h, skip.get(skip.size() - 2 - j)));
      }
      Variable logits = classifiers.get(j).forward(h);
      levelLogits.add(logits);
      boolean finest = j == decoder.size() - 1;
      Pruning.Result r = pruning.forward(h, logits, finest ? null : target);
      kept[j] = r.kept();
      h = r.output();
    }
    return new Output(head.forward(h), levelLogits, kept);
  }

  /** Sum over levels of the mean binary cross-entropy of each level's logits against the target's occupancy. */
  public static Variable loss(Output out, SparseTensor target) {
    Variable total = null;
    for (Variable logits : out.levelLogits()) {
      Variable l = Losses.bceWithLogits(logits, target);
      total = total == null ? l : SparseFunctions.add(total, l);
    }
    return total;
  }

  public int dimension() {
    return dimension;
  }

  public int[] channels() {
    return channels.clone();
  }

  /** Settings: {@code set...} required, {@code opt...} optional. */
  public static final class Builder {
    private int dimension = -1;
    private int[] channels;
    private int inChannels = 1;
    private int firstDecoderKernel = 2;
    private boolean skips = true;
    private Supplier<Layer> activation = Activation::relu;
    private DataType dataType = DataType.FLOAT;
    private Initializer initializer = Initializer.kaimingNormal();
    private long seed;
    private boolean recompute = true;
    private boolean rebuildKernelMaps = true;

    public Builder setDimension(int d) {
      this.dimension = d;
      return this;
    }

    /** Channels per level, finest first; depth = length - 1 stride-2 levels. */
    public Builder setChannels(int... ch) {
      this.channels = ch.clone();
      return this;
    }

    public Builder optInChannels(int c) {
      this.inChannels = c;
      return this;
    }

    /** Kernel of the coarsest generative transposed conv (4 in the completion network). */
    public Builder optFirstDecoderKernel(int k) {
      this.firstDecoderKernel = k;
      return this;
    }

    /** Add encoder features to the decoder on the union of maps (default on). */
    public Builder optSkips(boolean on) {
      this.skips = on;
      return this;
    }

    public Builder optActivation(Supplier<Layer> act) {
      this.activation = act;
      return this;
    }

    public Builder optDataType(DataType t) {
      this.dataType = t;
      return this;
    }

    public Builder optInitializer(Initializer init) {
      this.initializer = init;
      return this;
    }

    public Builder optSeed(long s) {
      this.seed = s;
      return this;
    }

    /**
     * Recompute each block's convolution output in backward instead of keeping it (one feature
     * matrix less per block, one more convolution forward per block; gradients are bit for bit the
     * same). On by default; {@code optRecompute(false)} keeps the outputs and trades memory for
     * about a tenth of the step time.
     */
    public Builder optRecompute(boolean on) {
      this.recompute = on;
      return this;
    }

    /**
     * Free each block's kernel map after the forward pass and build it again in backward (each
     * block's map serves that block alone): no kernel map is held through the step, for one more
     * map build per block. On by default; {@code optRebuildKernelMaps(false)} keeps them.
     */
    public Builder optRebuildKernelMaps(boolean on) {
      this.rebuildKernelMaps = on;
      return this;
    }

    public PruningUNet build() {
      if (dimension < 1 || dimension > 4) {
        throw new IllegalArgumentException("PruningUNet needs setDimension(D) with D in 1..4, got " + dimension);
      }
      if (channels == null || channels.length < 2 || Arrays.stream(channels).anyMatch(c -> c < 1)) {
        throw new IllegalArgumentException(
            "PruningUNet needs setChannels with at least 2 positive entries (finest first), got "
                + Arrays.toString(channels));
      }
      if (inChannels < 1 || firstDecoderKernel < 1) {
        throw new IllegalArgumentException("input channels and decoder kernel must be >= 1");
      }
      return new PruningUNet(this);
    }
  }
}
