package org.jsparse.core.backend;

import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The seam between the library and a device: a backend owns, counts and frees every feature-sized
 * buffer an op needs, and runs the ops on them. One backend per {@link
 * org.jsparse.core.kmap.CoordinateManager} (chosen when the manager is made; the CPU by default);
 * implementations are found with {@link java.util.ServiceLoader} through {@link BackendProvider},
 * so sparse-core never depends on a device module.
 *
 * <p>Contract: every method works in the buffers' own data type (FLOAT in float, DOUBLE in
 * double); accumulating methods ({@code out +=}) add into what the output holds; index arrays
 * ({@code int[]} rows, kernel maps) live on the host and a device backend may cache its own copy
 * of a kernel map; results are deterministic for a fixed input whatever the thread count; temporary
 * memory an op needs is counted as WORKSPACE in the ledger passed in and freed before it returns.
 */
public interface Backend extends AutoCloseable {
  /** The device, e.g. {@code "cpu"} or {@code "cuda:0"}. */
  String device();

  // ---- memory -----------------------------------------------------------------------------

  /**
   * A zero-filled owned buffer, counted in {@code ledger} under {@code category} and the name of
   * the {@code op} that made it until closed. With
   * a null ledger the buffer is handed out uncounted as an ND4J array ({@link #toINDArray}) whose
   * receiver counts and frees it (the gradients the core's backward functions return).
   */
  Buffer zeros(MemoryLedger ledger, MemoryCategory category, String op, DataType type, long rows, long cols);

  /**
   * A buffer on an ND4J array given at the API boundary, read as {@code [rows, length/rows]}: the
   * array itself where the backend can (the CPU), else a copy (a device). Borrowed: not counted, not freed.
   */
  Buffer borrow(INDArray array, long rows);

  /**
   * An owned buffer holding a copy of host values, row-major {@code [rows, cols]} (FLOAT from a
   * {@code float[]}, DOUBLE from a {@code double[]}), counted like {@link #zeros}: the way in that
   * needs no ND4J array.
   */
  Buffer upload(MemoryLedger ledger, MemoryCategory category, String op, Object values, long rows, long cols);

  /** Copies the buffer's values to the host: a {@code float[]} for FLOAT, a {@code double[]} for DOUBLE. */
  Object download(Buffer buffer);

  /** {@link #download} as doubles, whatever the buffer's type (a FLOAT buffer's values widened exactly). */
  default double[] downloadDoubles(Buffer buffer) {
    Object values = download(buffer);
    if (values instanceof double[] d) {
      return d;
    }
    float[] f = (float[]) values;
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /**
   * True when this backend's buffers are host memory that ND4J arrays can view: {@link #toINDArray}
   * then returns a view, and a buffer handed out as an array may be freed through the array (the CPU).
   * False for a device with memory of its own, where both directions copy.
   */
  default boolean sharesHostMemory() {
    return false;
  }

  /**
   * The backend's own kernel-map builder, or null when maps are built on the host (the CPU). A
   * manager on this backend asks it for every map between packed coordinate tables.
   */
  default DeviceKernelMaps kernelMaps() {
    return null;
  }

  /** The buffer as an ND4J array of {@code shape}: a view on the CPU (valid while the buffer is open), a copy elsewhere. */
  INDArray toINDArray(Buffer buffer, long... shape);

  /**
   * Gives free memory the backend caches back to the system (a no-op for the CPU backend, which
   * caches nothing). Managers call it when they close.
   */
  void trim();

  // ---- convolution (gather-GEMM-scatter over a kernel map) --------------------------------

  /** {@code out[o] += sum over pairs (i, o) of offset k: in[i] W[k]}, weight as {@code [K*Cin, Cout]}. */
  void convolutionForward(Buffer in, Buffer weight, KernelMap map, Buffer out, MemoryLedger ledger);

  /** {@code gradIn[i] += sum over pairs (i, o) of offset k: gradOut[o] W[k]^T}. */
  void convolutionBackwardInput(Buffer gradOut, Buffer weight, KernelMap map, Buffer gradIn, MemoryLedger ledger);

  /** {@code gradWeight[k] += sum over pairs (i, o) of offset k: in[i]^T gradOut[o]}, as {@code [K*Cin, Cout]}. */
  void convolutionBackwardWeight(Buffer in, Buffer gradOut, KernelMap map, Buffer gradWeight, MemoryLedger ledger);

  /**
   * Channel-wise (depthwise) convolution: {@code out[o, c] += sum over pairs (i, o) of offset k:
   * weight[k, c] in[i, c]}, weight {@code [K, C]}; out has in's C columns.
   */
  void channelwiseForward(Buffer in, Buffer weight, KernelMap map, Buffer out, MemoryLedger ledger);

  /** {@code gradIn[i, c] += sum over pairs (i, o) of offset k: weight[k, c] gradOut[o, c]}. */
  void channelwiseBackwardInput(Buffer gradOut, Buffer weight, KernelMap map, Buffer gradIn, MemoryLedger ledger);

  /** {@code gradWeight[k, c] += sum over pairs (i, o) of offset k: in[i, c] gradOut[o, c]}, as {@code [K, C]}. */
  void channelwiseBackwardWeight(Buffer in, Buffer gradOut, KernelMap map, Buffer gradWeight, MemoryLedger ledger);

  // ---- rows and columns --------------------------------------------------------------------

  /** {@code dst[r, 0:src.cols] = src[rows[r]]} for every r. */
  void gatherRows(Buffer src, int[] rows, Buffer dst);

  /** {@code dst[rows[r]] += scale * src[r]} for every r (rows may repeat). */
  void scatterAddRows(Buffer src, int[] rows, Buffer dst, double scale);

  /** {@code dst[r, dstColumn : dstColumn+width] = src[r, srcColumn : srcColumn+width]} for every row. */
  void copyColumns(Buffer src, int srcColumn, Buffer dst, int dstColumn, int width);

  // ---- pooling over a kernel map -----------------------------------------------------------

  /**
   * {@code out[o, c] = max over pairs (i, o): in[i, c]}, recording the winning input row in
   * {@code argmax[o * C + c]}; ties keep the earlier pair. {@code out} must be zero on entry.
   */
  void poolMax(Buffer in, KernelMap map, Buffer out, int[] argmax);

  /** {@code gradIn[argmax[o*C+c], c] += gradOut[o, c]}. */
  void poolMaxBackward(Buffer gradOut, int[] argmax, Buffer gradIn);

  /** {@code out[o] += weight(o) * in[i]} over the pairs, weight 1 or, with counts, {@code 1 / counts[o]}. */
  void poolSum(Buffer in, KernelMap map, int[] counts, Buffer out);

  /** {@code gradIn[i] += weight(o) * gradOut[o]} over the pairs, as in {@link #poolSum}. */
  void poolSumBackward(Buffer gradOut, KernelMap map, int[] counts, Buffer gradIn);

  // ---- pointwise ---------------------------------------------------------------------------

  /** {@code y = f(x)}; y may be x (in place). */
  void pointwise(PointwiseFunction f, Buffer x, Buffer y);

  /**
   * {@code gradIn = gradOut * f'(.)}, the derivative taken from {@code value}: the op's output
   * when {@code atOutput}, else its input. gradIn may be gradOut.
   */
  void pointwiseBackward(PointwiseFunction f, Buffer gradOut, Buffer value, boolean atOutput, Buffer gradIn);

  /** {@code out = a + beta * b}; out may be a or b. */
  void add(Buffer a, Buffer b, double beta, Buffer out);

  /** {@code out = a * b} elementwise; out may be a or b. */
  void multiply(Buffer a, Buffer b, Buffer out);

  /** {@code out = s * a}; out may be a. */
  void scale(Buffer a, double s, Buffer out);

  /**
   * Inverted dropout: {@code out[i] = x[i] / (1 - p)}, or 0 where {@link DropoutMask#dropped}
   * says element {@code i} (row-major) of stream {@code DropoutMask.key(seed)} is dropped. The mask
   * is a function of (seed, i) alone, the same on every backend: the backward pass is the same op
   * on the gradient, and nothing is kept. {@code x} and {@code out} may be one buffer.
   */
  void dropout(Buffer x, long seed, double p, Buffer out);

  /** {@code out[r] += v} for every row, v a {@code [1, C]} buffer. */
  void addRowVector(Buffer v, Buffer out);

  /** {@code c = op(a) op(b) + beta * c}, {@code op} transposing where asked: dense layers and their gradients. */
  void gemm(Buffer a, boolean transposeA, Buffer b, boolean transposeB, double beta, Buffer c);

  /** Column sums into {@code sums} (length C, double accumulation). */
  void columnSums(Buffer x, double[] sums);

  /**
   * Per element (row-major) {@code x > threshold}, false for NaN, as a host mask: how a decision
   * made on the features (pruning's keep) reaches the host at a byte a site instead of the values.
   */
  boolean[] greaterThan(Buffer x, double threshold);

  /** The first row with a NaN or infinite value, or -1. */
  int firstNonFiniteRow(Buffer x);

  // ---- losses (sums in double, deterministic; labels are 1 at the listed elements, 0 elsewhere) ----

  /**
   * Binary cross-entropy on logits z against 0/1 labels t: the sum over every element {@code e =
   * row * cols + col} of {@code max(z, 0) - z t + log(1 + e^-|z|)}, with {@code t = 1} exactly at
   * the elements {@code positives} (a repeat changes nothing; one outside the logits is refused).
   * Workspace (the labels on a device) is counted in {@code ledger}.
   */
  double bceWithLogitsSum(Buffer logits, int[] positives, MemoryLedger ledger);

  /** {@code gradIn[e] = scale * (sigmoid(z[e]) - t[e])}, labels as in {@link #bceWithLogitsSum}. */
  void bceWithLogitsBackward(Buffer logits, int[] positives, double scale, Buffer gradIn, MemoryLedger ledger);

  // ---- grouped normalization (batch norm: one group; instance norm: one per batch item) -----

  /**
   * Per (group, channel): mean and biased variance of the rows of each group; {@code count[g]}
   * receives the rows per group. Accumulates in double. A null {@code group} puts every row in
   * group 0 (batch norm), here and in the two methods below.
   */
  void groupMoments(Buffer x, int[] group, int groups, double[] mean, double[] variance, int[] count);

  /**
   * {@code y[r, c] = (x[r, c] - mean[s]) * invStd[s] * gamma[c] + beta[c]} with {@code s = group[r]*C + c};
   * gamma and beta may be null. y may be x.
   */
  void normalize(Buffer x, int[] group, double[] mean, double[] invStd, double[] gamma, double[] beta, Buffer y);

  /**
   * The backward pass of {@link #normalize}, with xhat recomputed from x. With {@code count}
   * (batch statistics) it differentiates through the mean and variance; without (running
   * statistics) it does not. Writes {@code gradIn} (may be gradOut) and, when not null,
   * {@code dGamma} and {@code dBeta} (length C).
   */
  void normalizeBackward(Buffer gradOut, Buffer x, int[] group, int groups, double[] mean, double[] invStd,
      double[] gamma, int[] count, Buffer gradIn, double[] dGamma, double[] dBeta);

  // ---- optimizers (in place, no temporaries) -----------------------------------------------

  /**
   * One Adam step on a parameter in place: {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
   * with AMSGrad (a non-null {@code maxExpAvgSq}) {@code vmax = max(vmax, v)} read as the second
   * moment, then {@code p -= lr / (1-b1^t) * m / (sqrt(second / (1-b2^t)) + eps)}; weight decay as
   * {@link AdamStep} says. Every buffer has the parameter's shape and type; grad is only read.
   */
  void adamStep(Buffer param, Buffer grad, Buffer expAvg, Buffer expAvgSq, Buffer maxExpAvgSq, AdamStep step);

  /**
   * One SGD step on a parameter in place: {@code g = grad + wd p}; with momentum
   * {@code v = mu v + g} ({@code v = g} at the first step) and {@code g = nesterov ? g + mu v : v};
   * then {@code p -= lr g}. {@code momentumBuffer} is null without momentum; grad is only read.
   */
  void sgdStep(Buffer param, Buffer grad, Buffer momentumBuffer, SgdStep step);

  /** Releases what the backend caches; buffers still open stay valid until closed. */
  @Override
  void close();
}
