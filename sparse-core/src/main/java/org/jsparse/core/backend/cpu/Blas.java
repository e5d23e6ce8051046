package org.jsparse.core.backend.cpu;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The one native seam of the CPU convolution: row-major GEMM on off-heap operands, calling the
 * OpenBLAS that ND4J's native backend ships and loads. Why not {@code Nd4j.gemm}: the
 * convolution runs thousands of small tile products, and ND4J's per-call cost (views, shape
 * checks, op dispatch) was larger than the products themselves; {@code Nd4j.gemm} stays in use
 * for everything else.
 */
final class Blas {
  private Blas() {}

  /** Off-heap array of {@code elements} FLOAT or DOUBLE values, zero-filled; close it to free. */
  static Pointer allocate(DataType type, long elements) {
    Pointer p = type == DataType.FLOAT ? new FloatPointer(Math.max(1, elements)) : new DoublePointer(Math.max(1, elements));
    Pointer.memset(p, 0, Math.max(1, elements) * (type == DataType.FLOAT ? 4 : 8));
    return p;
  }

  /**
   * {@code C[m x n] = alpha * op(A) op(B) + beta * C}, row-major; {@code op} transposes when asked.
   * {@code aOffset}, {@code bOffset} and {@code cOffset} are element offsets into the operands.
   */
  static void gemm(DataType type, boolean transA, boolean transB, int m, int n, int k,
      Pointer a, long aOffset, int lda, Pointer b, long bOffset, int ldb, double beta, Pointer c, long cOffset, int ldc) {
    int ta = transA ? CblasTrans : CblasNoTrans;
    int tb = transB ? CblasTrans : CblasNoTrans;
    if (type == DataType.FLOAT) {
      openblas.cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1f,
          ((FloatPointer) a).getPointer(aOffset), lda, ((FloatPointer) b).getPointer(bOffset), ldb, (float) beta,
          ((FloatPointer) c).getPointer(cOffset), ldc);
    } else {
      openblas.cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0,
          ((DoublePointer) a).getPointer(aOffset), lda, ((DoublePointer) b).getPointer(bOffset), ldb, beta,
          ((DoublePointer) c).getPointer(cOffset), ldc);
    }
  }
}
