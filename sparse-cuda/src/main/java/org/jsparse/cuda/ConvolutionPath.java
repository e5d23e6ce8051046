package org.jsparse.cuda;

import java.util.Locale;

/**
 * How a CUDA backend runs a convolution's forward pass and input gradient over a kernel map. Both
 * give the CPU's result within float tolerance and both are deterministic; they differ in speed.
 * Chosen per backend with the system property {@code jsparse.cuda.convolution} ({@code auto},
 * {@code gather-scatter} or {@code implicit-gemm}), read when the backend is made.
 */
public enum ConvolutionPath {
  /**
   * Implicit GEMM where the map fills at least {@link #IMPLICIT_GEMM_MIN_FILL} of its neighbour
   * table (submanifold maps), gather-GEMM-scatter where it is sparser (strided and transposed maps,
   * whose outputs have a pair at few offsets and whose tiles would multiply mostly zeros). A first
   * rule, to be tuned with {@code GpuBenchmark}'s timings of both paths.
   */
  AUTO,
  /** One launch an offset: a warp gathers a pair's input row, multiplies it by {@code W[k]} and adds it to the output row. */
  GATHER_SCATTER,
  /**
   * One launch for all offsets: a block keeps a tile of output rows in registers while it walks the
   * offsets, gathering input rows through a neighbour table (built per call from the map's pairs, in
   * passes of at most {@link MapOps#TABLE_BUDGET_BYTES}); each output is written once.
   */
  IMPLICIT_GEMM;

  /** The share of a map's (offset, output) slots that must hold a pair for {@link #AUTO} to take the implicit GEMM. */
  public static final double IMPLICIT_GEMM_MIN_FILL = 0.25;

  /** The system property that chooses the path. */
  public static final String PROPERTY = "jsparse.cuda.convolution";

  /** The path the system property names, {@link #AUTO} when it is not set. */
  static ConvolutionPath fromSystemProperty() {
    String value = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    for (ConvolutionPath p : values()) {
      if (p.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException(PROPERTY + "=" + value + ": expected auto, gather-scatter or implicit-gemm");
  }

  /** Whether a map of {@code pairs} pairs over {@code volume} offsets and {@code rows} destination rows takes the implicit GEMM. */
  boolean implicitGemm(long pairs, int volume, long rows) {
    return switch (this) {
      case GATHER_SCATTER -> false;
      case IMPLICIT_GEMM -> true;
      case AUTO -> pairs >= IMPLICIT_GEMM_MIN_FILL * volume * rows;
    };
  }
}
