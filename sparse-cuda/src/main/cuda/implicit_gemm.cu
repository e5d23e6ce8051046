// Fused implicit-GEMM convolution: one launch covers every offset of a kernel map. A block owns a
// tile of IG_ROWS destination rows by IG_COLS destination columns and keeps it in registers while
// it walks the offsets in order (0..K-1) and the source columns in stages of IG_DEPTH, gathering the
// source rows through a neighbour table (the source row of each destination row per offset, -1
// where there is none) into shared memory next to the weight stage. Each destination element has
// one owner thread and is written once: no atomics, no read-modify-write per offset, and a fixed
// summation order (deterministic). An offset none of the tile's rows has is skipped.
#include "common.cuh"

#define IG_ROWS 64
#define IG_COLS 32
#define IG_DEPTH 16
#define IG_THREADS 256
// A thread's register tile: IG_ROW_TILE rows by IG_COL_TILE columns (64 x 32 / 256 = 8 values).
#define IG_ROW_TILE 2
#define IG_COL_TILE 4

// table[k * rows + keyRows[p]] = valueRows[p] for the pairs of one offset (the table is filled with
// -1 first); keyRows outside [first, first + rows) belong to another pass and are left out.
extern "C" __global__ void fill_neighbour_table(int pairs, const int* keyRows, const int* valueRows, int first,
    int rows, int* table) {
  GRID_STRIDE(p, pairs) {
    int r = keyRows[p] - first;
    if (r >= 0 && r < rows) table[r] = valueRows[p];
  }
}

// dst[first + r, c] += sum_k sum_j src[table[k * rows + r], j] * W_k(j, c) for r in [0, rows), with
// W_k(j, c) = w[k * kStride + j * wRowStride + c * wColStride]: forward (src = x, W_k = W[k]) and
// input gradient (src = dOut, W_k = W[k]^T). Grid (ceil(rows / IG_ROWS), ceil(dstCols / IG_COLS)),
// IG_THREADS threads.
template <typename T>
__device__ void implicit_gemm(int rows, int volume, const int* table, const T* src, int srcCols, const T* w,
    long long kStride, int wRowStride, int wColStride, T* dst, int first, int dstCols) {
  __shared__ T a[IG_DEPTH][IG_ROWS + 1];  // gathered source values by column, padded against bank conflicts
  __shared__ T b[IG_DEPTH][IG_COLS];  // the weight stage
  __shared__ int sourceRow[IG_ROWS];
  int tid = threadIdx.x;
  int tileRow = tid / (IG_COLS / IG_COL_TILE);  // 0..31
  int tileCol = tid % (IG_COLS / IG_COL_TILE);  // 0..7
  long long row0 = (long long)blockIdx.x * IG_ROWS;
  int col0 = blockIdx.y * IG_COLS;
  T acc[IG_ROW_TILE][IG_COL_TILE];
  for (int r = 0; r < IG_ROW_TILE; r++)
    for (int c = 0; c < IG_COL_TILE; c++) acc[r][c] = 0;

  for (int k = 0; k < volume; k++) {
    int present = 0;
    if (tid < IG_ROWS) {
      long long r = row0 + tid;
      sourceRow[tid] = r < rows ? table[(long long)k * rows + r] : -1;
      present = sourceRow[tid] >= 0;
    }
    if (!__syncthreads_or(present)) continue;  // uniform: every thread skips or none does
    for (int j0 = 0; j0 < srcCols; j0 += IG_DEPTH) {
      for (int e = tid; e < IG_DEPTH * IG_ROWS; e += IG_THREADS) {
        int r = e / IG_DEPTH;
        int j = e % IG_DEPTH;
        int s = sourceRow[r];
        a[j][r] = s >= 0 && j0 + j < srcCols ? src[(long long)s * srcCols + j0 + j] : (T)0;
      }
      for (int e = tid; e < IG_DEPTH * IG_COLS; e += IG_THREADS) {
        int j = e / IG_COLS;
        int c = e % IG_COLS;
        b[j][c] = j0 + j < srcCols && col0 + c < dstCols
            ? w[k * kStride + (long long)(j0 + j) * wRowStride + (long long)(col0 + c) * wColStride]
            : (T)0;
      }
      __syncthreads();
      for (int j = 0; j < IG_DEPTH; j++) {
        T av[IG_ROW_TILE];
        T bv[IG_COL_TILE];
        for (int r = 0; r < IG_ROW_TILE; r++) av[r] = a[j][tileRow * IG_ROW_TILE + r];
        for (int c = 0; c < IG_COL_TILE; c++) bv[c] = b[j][tileCol * IG_COL_TILE + c];
        for (int r = 0; r < IG_ROW_TILE; r++)
          for (int c = 0; c < IG_COL_TILE; c++) acc[r][c] += av[r] * bv[c];
      }
      __syncthreads();
    }
  }
  for (int r = 0; r < IG_ROW_TILE; r++) {
    long long row = row0 + tileRow * IG_ROW_TILE + r;
    if (row >= rows) continue;
    for (int c = 0; c < IG_COL_TILE; c++) {
      int col = col0 + tileCol * IG_COL_TILE + c;
      if (col < dstCols) dst[(first + row) * dstCols + col] += acc[r][c];
    }
  }
}

#define K_IMPLICIT_GEMM(T, S) \
  extern "C" __global__ void implicit_gemm_##S(int rows, int volume, const int* table, const T* src, int srcCols, \
      const T* w, long long kStride, int wRowStride, int wColStride, T* dst, int first, int dstCols) { \
    implicit_gemm<T>(rows, volume, table, src, srcCols, w, kStride, wRowStride, wColStride, dst, first, dstCols); \
  }
FOR_TYPES(K_IMPLICIT_GEMM)
