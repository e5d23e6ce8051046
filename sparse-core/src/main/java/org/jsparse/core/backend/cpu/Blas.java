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
   * Offsets are passed through per-thread views, not {@code getPointer(offset)}: that made three
   * pointer objects and their deallocator records per call, thousands of calls per convolution
   * (a quarter of a training step's Java garbage).
   */
  static void gemm(DataType type, boolean transA, boolean transB, int m, int n, int k,
      Pointer a, long aOffset, int lda, Pointer b, long bOffset, int ldb, double beta, Pointer c, long cOffset, int ldc) {
    long e = type == DataType.FLOAT ? 4 : 8;
    gemm(type, transA, transB, m, n, k, address(a, aOffset, e), lda, address(b, bOffset, e), ldb, beta,
        address(c, cOffset, e), ldc);
  }

  /** The same product on operands given by the address of their first element. */
  static void gemm(DataType type, boolean transA, boolean transB, int m, int n, int k,
      long a, int lda, long b, int ldb, double beta, long c, int ldc) {
    int ta = transA ? CblasTrans : CblasNoTrans;
    int tb = transB ? CblasTrans : CblasNoTrans;
    Views v = VIEWS.get();
    if (type == DataType.FLOAT) {
      openblas.cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1f, v.fa.at(a), lda, v.fb.at(b), ldb,
          (float) beta, v.fc.at(c), ldc);
    } else {
      openblas.cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, v.da.at(a), lda, v.db.at(b), ldb,
          beta, v.dc.at(c), ldc);
    }
  }

  private static long address(Pointer base, long offset, long elementBytes) {
    return base.address() + (base.position() + offset) * elementBytes;
  }

  /** Reusable views of one thread's GEMM operands: scratch with no meaning between calls. */
  private static final ThreadLocal<Views> VIEWS = ThreadLocal.withInitial(Views::new);

  private static final class Views {
    final FloatView fa = new FloatView();
    final FloatView fb = new FloatView();
    final FloatView fc = new FloatView();
    final DoubleView da = new DoubleView();
    final DoubleView db = new DoubleView();
    final DoubleView dc = new DoubleView();
  }

  /** A pointer that owns nothing and is re-aimed at an address for one call. */
  private static final class FloatView extends FloatPointer {
    FloatView at(long at) {
      address = at;
      position = 0;
      limit = 0;
      capacity = 0;
      return this;
    }
  }

  private static final class DoubleView extends DoublePointer {
    DoubleView at(long at) {
      address = at;
      position = 0;
      limit = 0;
      capacity = 0;
      return this;
    }
  }
}
