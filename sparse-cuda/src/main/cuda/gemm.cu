// Dense GEMM for linear layers and their gradients: C = op(A) op(B) + beta C, row-major, 16x16
// shared-memory tiles, one thread per element of C, accumulated in the element type in a fixed
// order (deterministic).
#include "common.cuh"

#define TILE 16

template <typename T>
__device__ inline T element(const T* a, int ld, int trans, int r, int c, int rows, int cols) {
  if (r >= rows || c >= cols) return 0;
  return trans ? a[(long long)c * ld + r] : a[(long long)r * ld + c];
}

// op(A) is m x k, op(B) is k x n; lda/ldb are the row lengths of A and B as stored.
template <typename T>
__device__ void gemm(int m, int n, int k, const T* a, int lda, int transA, const T* b, int ldb, int transB,
    double beta, T* c, int ldc) {
  __shared__ T as[TILE][TILE];
  __shared__ T bs[TILE][TILE];
  int row = blockIdx.y * TILE + threadIdx.y;
  int col = blockIdx.x * TILE + threadIdx.x;
  T acc = 0;
  for (int t = 0; t < k; t += TILE) {
    as[threadIdx.y][threadIdx.x] = element(a, lda, transA, row, t + threadIdx.x, m, k);
    bs[threadIdx.y][threadIdx.x] = element(b, ldb, transB, t + threadIdx.y, col, k, n);
    __syncthreads();
    for (int j = 0; j < TILE; j++) acc += as[threadIdx.y][j] * bs[j][threadIdx.x];
    __syncthreads();
  }
  if (row < m && col < n) {
    T* out = c + (long long)row * ldc + col;
    *out = beta == 0 ? acc : (T)((double)acc + beta * (double)*out);
  }
}

#define K_GEMM(T, S) \
  extern "C" __global__ void gemm_##S(int m, int n, int k, const T* a, int lda, int transA, const T* b, int ldb, \
      int transB, double beta, T* c, int ldc) { \
    gemm<T>(m, n, k, a, lda, transA, b, ldb, transB, beta, c, ldc); \
  }
FOR_TYPES(K_GEMM)
