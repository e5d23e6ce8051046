package org.jsparse.nn.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Initializer;
import org.jsparse.nn.Module;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.Activations;
import org.jsparse.nn.functional.Losses;
import org.jsparse.nn.functional.SparseFunctions;
import org.jsparse.nn.layers.Activation;
import org.jsparse.nn.layers.BatchNorm;
import org.jsparse.nn.layers.Convolution;
import org.jsparse.nn.layers.Linear;
import org.jsparse.nn.layers.Pooling;
import org.jsparse.nn.layers.Pruning;
import org.jsparse.nn.layers.Sequential;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The sparse pruning Deep-stULM network of Rauby et al. for 2D+time (D = 3) or 3D+time (D = 4);
 * the last axis is time. Input: CorrMap sites at spatial tensor stride 8 (the output grid is 8x
 * finer) and time stride 1, two channels. Layers, with ELU and batch norm after every conv:
 * input transition (k5 conv plus the input repeated along channels); two down transitions
 * (1x1 conv doubling channels, max-pool space 2 / time {@code downTime}, three k3 convs, residual);
 * two up transitions (transposed conv space 2 onto the skip's map, k3 conv to half the channels,
 * concatenation with the skip max-pooled in time to the same stride, three k3 convs, residual);
 * transition 1 (1x1 conv to 16, time pool, two k3 convs, residual); three high-resolution
 * transitions, each entered by a k3 classifier whose sigmoid is that level's prediction and which
 * prunes the sites below 0.5 (arg-max fallback), then a generative transposed conv (space 2, time
 * 1), three k3 convs and a residual, taking space from stride 8 to 1; transition 2 (time pool,
 * two k3 convs); output (k3 conv 16 to 8, two k3 convs, 1x1 conv to 1, sigmoid). The loss is the
 * mean soft Dice of the three level predictions and the output against the ground truth.
 *
 * <p>The seed gives the temporal pooling as 4 per down transition and 8 in transition 1 but
 * supervises the high-resolution levels at time stride 64 and the output at 512; the defaults here
 * (4, 4, then 4 and 8) make the strides match the supervision. {@link Builder#optTimePooling}
 * changes them.
 */
public final class SparseDeepStULM extends Module {
  private final int dimension;
  private final int inChannels;
  private final int baseChannels;
  private final int[] timePool;
  private final Convolution inputConv;
  private final BatchNorm inputNorm;
  private final List<Down> downs = new ArrayList<>();
  private final List<Up> ups = new ArrayList<>();
  private final Linear t1Conv;
  private final BatchNorm t1Norm;
  private final Sequential t1Ops;
  private final List<Convolution> levelClassifiers = new ArrayList<>();
  private final List<Sequential> hrUp = new ArrayList<>();
  private final List<Sequential> hrOps = new ArrayList<>();
  private final Sequential t2;
  private final Sequential outputOps;
  private final Linear outputHead;
  private final Pruning pruning = register("pruning", new Pruning(0));
  private final boolean teacherForcing;

  private SparseDeepStULM(Builder b) {
    this.dimension = b.dimension;
    this.inChannels = b.inChannels;
    this.baseChannels = b.baseChannels;
    this.timePool = b.timePool.clone();
    this.teacherForcing = b.teacherForcing;
    int c = b.baseChannels;
    Blocks.Settings s = new Blocks.Settings(dimension, b.dataType, b.seed, Activation::elu);
    inputConv = register("inputConv", Convolution.builder().setChannels(inChannels, c).setDimension(dimension)
        .setKernelSize(5).optDataType(b.dataType).build());
    inputNorm = register("inputNorm", new BatchNorm(c, 0.1, 1e-5, b.dataType));
    downs.add(register("down1", new Down(c, 2 * c, timePool[0], s)));
    downs.add(register("down2", new Down(2 * c, 4 * c, timePool[1], s)));
    ups.add(register("up1", new Up(4 * c, 4 * c, s)));
    ups.add(register("up2", new Up(4 * c, 2 * c, s)));
    t1Conv = register("t1Conv", new Linear(2 * c, c, false, b.dataType, b.initializer, b.seed));
    t1Norm = register("t1Norm", new BatchNorm(c, 0.1, 1e-5, b.dataType));
    t1Ops = register("t1Ops", repeat(c, c, 2, s));
    for (int i = 0; i < 3; i++) {
      levelClassifiers.add(register("cls" + i, Convolution.builder().setChannels(c, 1).setDimension(dimension)
          .setKernelSize(3).optBias(true).optDataType(b.dataType).build()));
      hrUp.add(register("hrUp" + i, Blocks.convBnAct(Convolution.generativeBuilder(), c, c, spaceTime(2, 1),
          spaceTime(2, 1), s)));
      hrOps.add(register("hrOps" + i, repeat(c, c, 3, s)));
    }
    t2 = register("t2", repeat(c, c, 2, s));
    outputOps = register("outputOps", new Sequential(Blocks.submanifold(c, c / 2, 3, s),
        Blocks.submanifold(c / 2, c / 2, 3, s), Blocks.submanifold(c / 2, c / 2, 3, s)));
    outputHead = register("outputHead", new Linear(c / 2, 1, true, b.dataType, b.initializer, b.seed));
    initialize(b.initializer, b.seed);
  }

  private int[] spaceTime(int space, int time) {
    int[] a = Blocks.uniform(dimension, space);
    a[dimension - 1] = time;
    return a;
  }

  private static Sequential repeat(int in, int out, int n, Blocks.Settings s) {
    Sequential seq = new Sequential();
    for (int i = 0; i < n; i++) {
      seq.add(Blocks.submanifold(i == 0 ? in : out, out, 3, s));
    }
    return seq;
  }

  private static Variable elu(Variable x) {
    return Activations.elu(x, 1.0);
  }

  /** 1x1 conv doubling channels, BN, ELU, space-time max-pool, three k3 convs, residual. */
  private final class Down extends Module {
    private final Linear expand;
    private final BatchNorm norm;
    private final Pooling pool;
    private final Sequential ops;

    Down(int in, int out, int time, Blocks.Settings s) {
      expand = register("expand", new Linear(in, out, false, s.dataType(), Initializer.kaimingNormal(), s.seed()));
      norm = register("norm", new BatchNorm(out, 0.1, 1e-5, s.dataType()));
      pool = register("pool", Pooling.max(spaceTime(2, time)));
      ops = register("ops", repeat(out, out, 3, s));
    }

    Variable forward(Variable x) {
      Variable down = pool.forward(elu(norm.forward(expand.forward(x))));
      return elu(SparseFunctions.add(ops.forward(down), down));
    }
  }

  /** Transposed conv onto the pooled skip's map, k3 conv to out/2, concat with the skip, three k3 convs, residual. */
  private final class Up extends Module {
    private final Convolution up;
    private final Sequential conv;
    private final Sequential ops;

    Up(int in, int out, Blocks.Settings s) {
      up = register("up", Convolution.transposedBuilder().setChannels(in, out / 2).setDimension(dimension)
          .setKernelSize(spaceTime(2, 1)).optStride(spaceTime(2, 1)).optDataType(s.dataType()).build());
      conv = register("conv", Blocks.submanifold(out / 2, out / 2, 3, s));
      ops = register("ops", repeat(out, out, 3, s));
    }

    Variable forward(Variable x, Variable skip) {
      Variable u = conv.forward(up.forward(x, skip.tensor().key()));
      Variable cat = SparseFunctions.concat(List.of(u, skip));
      return elu(SparseFunctions.add(ops.forward(cat), cat));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * What one forward pass made.
   *
   * @param probabilities final per-site probabilities (space stride 1, time collapsed)
   * @param levelProbabilities the three high-resolution levels' predictions (space stride 8, 4, 2)
   * @param keptSites sites kept by the pruning at each level
   */
  public record Output(Variable probabilities, List<Variable> levelProbabilities, int[] keptSites) {
    /** The level predictions and the output: what the deep-supervision loss compares with the truth. */
    public List<Variable> supervised() {
      List<Variable> all = new ArrayList<>(levelProbabilities);
      all.add(probabilities);
      return Collections.unmodifiableList(all);
    }
  }

  /**
   * Runs the network. {@code target} is used only when built with teacher forcing (training
   * mode); it may be null.
   */
  public Output forward(Variable x, SparseTensor target) {
    if (x.tensor() == null || x.tensor().dimension() != dimension || x.tensor().channels() != inChannels) {
      throw new IllegalArgumentException("SparseDeepStULM expects a sparse D=" + dimension + " input with "
          + inChannels + " channels (the last axis is time), got " + (x.tensor() == null ? "a dense value" : x.tensor()));
    }
    List<Variable> copies = Collections.nCopies(baseChannels / inChannels, x);
    Variable in = elu(SparseFunctions.add(inputNorm.forward(inputConv.forward(x)), SparseFunctions.concat(copies)));
    Variable d1 = downs.get(0).forward(in);
    Variable d2 = downs.get(1).forward(d1);
    Variable skip1 = Pooling.max(spaceTime(1, timePool[1])).forward(d1);
    Variable u1 = ups.get(0).forward(d2, skip1);
    Variable skip2 = Pooling.max(spaceTime(1, timePool[0] * timePool[1])).forward(in);
    Variable u2 = ups.get(1).forward(u1, skip2);
    Variable t = Pooling.max(spaceTime(1, timePool[2])).forward(elu(t1Norm.forward(t1Conv.forward(u2))));
    Variable h = elu(SparseFunctions.add(t1Ops.forward(t), t));
    List<Variable> levels = new ArrayList<>();
    int[] kept = new int[3];
    for (int i = 0; i < 3; i++) {
      Variable logits = levelClassifiers.get(i).forward(h);
      levels.add(Activations.sigmoid(logits));
      Pruning.Result r = pruning.forward(h, logits, teacherForcing ? target : null);
      kept[i] = r.kept();
      Variable up = hrUp.get(i).forward(r.output());
      h = elu(SparseFunctions.add(hrOps.get(i).forward(up), up));
    }
    Variable pooled = Pooling.max(spaceTime(1, timePool[3])).forward(h);
    Variable out = Activations.sigmoid(outputHead.forward(outputOps.forward(t2.forward(pooled))));
    return new Output(out, levels, kept);
  }

  /** Mean soft Dice (smooth 1) of the level predictions and the output against the ground truth at stride 1. */
  public static Variable loss(Output out, SparseTensor target) {
    Variable total = null;
    for (Variable p : out.supervised()) {
      Variable l = Losses.softDice(p, target, 1);
      total = total == null ? l : SparseFunctions.add(total, l);
    }
    return SparseFunctions.scale(total, 1.0 / out.supervised().size());
  }

  public int dimension() {
    return dimension;
  }

  /** Settings: {@code set...} required, {@code opt...} optional. */
  public static final class Builder {
    private int dimension = -1;
    private int inChannels = 2;
    private int baseChannels = 16;
    private int[] timePool = {4, 4, 4, 8};
    private boolean teacherForcing;
    private DataType dataType = DataType.FLOAT;
    private Initializer initializer = Initializer.kaimingNormal();
    private long seed;

    /** 3 for 2D+time, 4 for 3D+time. */
    public Builder setDimension(int d) {
      this.dimension = d;
      return this;
    }

    /** Input channels (2: the CorrMap's real and imaginary parts); must divide the base channels. */
    public Builder optInChannels(int c) {
      this.inChannels = c;
      return this;
    }

    /** Channels of the input transition (16); the downs double it twice. */
    public Builder optBaseChannels(int c) {
      this.baseChannels = c;
      return this;
    }

    /** Time pooling of down 1, down 2, transition 1 and transition 2 (default 4, 4, 4, 8). */
    public Builder optTimePooling(int down1, int down2, int transition1, int transition2) {
      this.timePool = new int[] {down1, down2, transition1, transition2};
      return this;
    }

    /** Keep the ground truth's sites when pruning in training (off, as in the paper). */
    public Builder optTeacherForcing(boolean on) {
      this.teacherForcing = on;
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

    public SparseDeepStULM build() {
      if (dimension != 3 && dimension != 4) {
        throw new IllegalArgumentException(
            "SparseDeepStULM is 2D+time (setDimension(3)) or 3D+time (setDimension(4)), got " + dimension);
      }
      if (inChannels < 1 || baseChannels % inChannels != 0 || baseChannels % 2 != 0) {
        throw new IllegalArgumentException("base channels (" + baseChannels + ") must be even and a multiple of the "
            + "input channels (" + inChannels + ") so that the input can be repeated onto them");
      }
      if (Arrays.stream(timePool).anyMatch(t -> t < 1)) {
        throw new IllegalArgumentException("time pooling factors must be >= 1, got " + Arrays.toString(timePool));
      }
      return new SparseDeepStULM(this);
    }
  }
}
