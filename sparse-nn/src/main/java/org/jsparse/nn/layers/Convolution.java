package org.jsparse.nn.layers;

import java.util.Arrays;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.RegionType;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.ops.ConvolutionMode;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.nn.Initializer;
import org.jsparse.nn.Layer;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.SparseFunctions;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Sparse convolution layer of any geometry, with weight {@code [K, Cin, Cout]} and an optional
 * bias: submanifold or strided ({@link #builder}), transposed onto the finer map the input came
 * from ({@link #transposedBuilder}) or generative, creating every {@code c + offset}
 * ({@link #generativeBuilder}).
 */
public final class Convolution extends Layer {
  private final ConvolutionSpec spec;
  private final int inChannels;
  private final int outChannels;
  private final Parameter weight;
  private final Parameter bias;
  private final boolean rebuildKernelMap;

  private Convolution(Builder b) {
    int d = b.dimension;
    int[] size = perAxis(b.kernelSize, d, "kernel size");
    int[] dilation = perAxis(b.dilation == null ? new int[] {1} : b.dilation, d, "dilation");
    KernelRegion region = b.regionType == RegionType.HYPERCROSS
        ? KernelRegion.hypercross(size, dilation) : KernelRegion.hypercube(size, dilation);
    int[] stride = perAxis(b.stride == null ? new int[] {1} : b.stride, d, "stride");
    this.spec = new ConvolutionSpec(region, stride, b.mode);
    this.inChannels = b.inChannels;
    this.outChannels = b.outChannels;
    this.rebuildKernelMap = b.rebuildKernelMap;
    this.weight = parameter("weight", Parameter.Role.WEIGHT, b.dataType, region.volume(), inChannels, outChannels);
    this.bias = b.bias ? parameter("bias", Parameter.Role.BIAS, b.dataType, outChannels) : null;
    initialize(b.initializer, b.seed);
  }

  private static int[] perAxis(int[] v, int d, String what) {
    if (v.length == 1) {
      int[] out = new int[d];
      Arrays.fill(out, v[0]);
      return out;
    }
    if (v.length != d) {
      throw new IllegalArgumentException(
          what + " " + Arrays.toString(v) + " must have 1 value or D=" + d + " values (one per axis)");
    }
    return v.clone();
  }

  /** A submanifold (stride 1) or strided convolution. */
  public static Builder builder() {
    return new Builder(ConvolutionMode.REGULAR);
  }

  /** A transposed convolution landing on the existing finer map (U-Net decoder). */
  public static Builder transposedBuilder() {
    return new Builder(ConvolutionMode.TRANSPOSED);
  }

  /** A generative transposed convolution (creates new sites; completion networks). */
  public static Builder generativeBuilder() {
    return new Builder(ConvolutionMode.GENERATIVE);
  }

  @Override
  public Variable forward(Variable x) {
    return forward(x, null);
  }

  /** For a transposed convolution: lands on {@code target} (null: the map the input came from). */
  public Variable forward(Variable x, CoordinateMapKey target) {
    LayerChecks.requireInput(x, inChannels, spec.region().dimension(), "Convolution " + this);
    return SparseFunctions.conv(x, weight.variable(), bias == null ? null : bias.variable(), spec, target,
        rebuildKernelMap);
  }

  public ConvolutionSpec spec() {
    return spec;
  }

  public Parameter weight() {
    return weight;
  }

  /** The bias, or null when built without one. */
  public Parameter bias() {
    return bias;
  }

  @Override
  public String toString() {
    return "(" + inChannels + "->" + outChannels + ", " + spec + (bias != null ? ", bias" : "") + ")";
  }

  /** Settings: {@code set...} are required, {@code opt...} optional. */
  public static final class Builder {
    private final ConvolutionMode mode;
    private int inChannels = -1;
    private int outChannels = -1;
    private int dimension = -1;
    private int[] kernelSize;
    private int[] stride;
    private int[] dilation;
    private RegionType regionType = RegionType.HYPERCUBE;
    private boolean bias;
    private DataType dataType = DataType.FLOAT;
    private Initializer initializer = Initializer.kaimingNormal();
    private long seed;
    private boolean rebuildKernelMap;

    private Builder(ConvolutionMode mode) {
      this.mode = mode;
    }

    public Builder setChannels(int in, int out) {
      this.inChannels = in;
      this.outChannels = out;
      return this;
    }

    /** Spatial dimension D (1..4). */
    public Builder setDimension(int d) {
      this.dimension = d;
      return this;
    }

    /** One size for all axes, or one per axis (e.g. 3, 3, 3, 1 for space + time). */
    public Builder setKernelSize(int... size) {
      this.kernelSize = size.clone();
      return this;
    }

    /** One stride for all axes or one per axis; default 1 (for transposed: the upsampling factor). */
    public Builder optStride(int... s) {
      this.stride = s.clone();
      return this;
    }

    public Builder optDilation(int... d) {
      this.dilation = d.clone();
      return this;
    }

    public Builder optRegionType(RegionType type) {
      if (type != RegionType.HYPERCUBE && type != RegionType.HYPERCROSS) {
        throw new IllegalArgumentException("a layer region is HYPERCUBE or HYPERCROSS; use SparseFunctions.conv for custom regions");
      }
      this.regionType = type;
      return this;
    }

    /** Adds a bias (default: none, as in MinkowskiConvolution). */
    public Builder optBias(boolean on) {
      this.bias = on;
      return this;
    }

    public Builder optDataType(DataType type) {
      this.dataType = type;
      return this;
    }

    public Builder optInitializer(Initializer init) {
      this.initializer = init;
      return this;
    }

    /** Seed of the initial weights (default 0). */
    public Builder optSeed(long s) {
      this.seed = s;
      return this;
    }

    /**
     * Free the kernel map after the forward pass and build it again for backward (off by default):
     * the map's pairs are not held through the step, for one more map build. For layers whose map
     * no other layer of the forward pass uses (as in the networks' blocks).
     */
    public Builder optRebuildKernelMap(boolean on) {
      this.rebuildKernelMap = on;
      return this;
    }

    public Convolution build() {
      if (inChannels < 1 || outChannels < 1) {
        throw new IllegalArgumentException("Convolution needs setChannels(in, out) with both >= 1, got "
            + inChannels + ", " + outChannels);
      }
      if (dimension < 1 || dimension > 4) {
        throw new IllegalArgumentException("Convolution needs setDimension(D) with D in 1..4, got " + dimension);
      }
      if (kernelSize == null) {
        throw new IllegalArgumentException("Convolution needs setKernelSize(...)");
      }
      return new Convolution(this);
    }
  }
}
