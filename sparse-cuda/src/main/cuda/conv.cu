// Gather-GEMM-scatter convolution over one offset of a kernel map at a time. Within one offset an
// output row has at most one pair and so has an input row, so the scatter needs no atomics and the
// result is deterministic: every output row sees the offsets in the order the Java side launches
// them (0..K-1), as on the CPU. The weight gradients are fixed-block two-pass reductions (the
// convolution's in weight_gradient.cu, whose add_partials the channel-wise one shares).
#include "common.cuh"

// dst[dstRows[p], c] += sum_j src[srcRows[p], j] * W(j, c), W(j, c) = w[j * wRowStride + c * wColStride]:
// forward (src = x, W = W[k]) and input gradient (src = dOut, W = W[k]^T). Block (32, 8): a warp per
// pair, lanes over output columns; W staged in shared memory when `shared` (it fits).
template <typename T>
__device__ void gemm_pairs(int pairs, const int* srcRows, const int* dstRows, const T* src, int srcCols,
    const T* w, int wRowStride, int wColStride, T* dst, int dstCols, int shared) {
  extern __shared__ __align__(16) unsigned char stage[];
  T* ws = reinterpret_cast<T*>(stage);
  int tid = threadIdx.y * blockDim.x + threadIdx.x;
  int threads = blockDim.x * blockDim.y;
  if (shared) {
    for (int e = tid; e < srcCols * dstCols; e += threads) {
      int j = e / dstCols;
      int c = e % dstCols;
      ws[e] = w[(long long)j * wRowStride + (long long)c * wColStride];
    }
    __syncthreads();
  }
  for (long long p = (long long)blockIdx.x * blockDim.y + threadIdx.y; p < pairs;
       p += (long long)gridDim.x * blockDim.y) {
    const T* s = src + (long long)srcRows[p] * srcCols;
    T* d = dst + (long long)dstRows[p] * dstCols;
    for (int c = threadIdx.x; c < dstCols; c += blockDim.x) {
      T acc = 0;
      for (int j = 0; j < srcCols; j++) {
        acc += s[j] * (shared ? ws[j * dstCols + c] : w[(long long)j * wRowStride + (long long)c * wColStride]);
      }
      d[c] += acc;
    }
  }
}

#define K_CONV(T, S) \
  extern "C" __global__ void gemm_pairs_##S(int pairs, const int* srcRows, const int* dstRows, const T* src, \
      int srcCols, const T* w, int wRowStride, int wColStride, T* dst, int dstCols, int shared) { \
    gemm_pairs<T>(pairs, srcRows, dstRows, src, srcCols, w, wRowStride, wColStride, dst, dstCols, shared); \
  } \
  extern "C" __global__ void channelwise_pairs_##S(int pairs, const int* srcRows, const int* dstRows, const T* src, \
      const T* w, int c, T* dst) { \
    GRID_STRIDE(i, (long long)pairs * c) { \
      long long p = i / c; \
      int ch = (int)(i % c); \
      dst[(long long)dstRows[p] * c + ch] += w[ch] * src[(long long)srcRows[p] * c + ch]; \
    } \
  } \
  extern "C" __global__ void channelwise_weight_partials_##S(int pairs, const int* ins, const int* outs, const T* x, \
      const T* g, int c, long long chunk, double* partials) { \
    long long begin = chunk_begin(chunk); \
    long long end = min((long long)pairs, begin + chunk); \
    for (int ch = threadIdx.x; ch < c; ch += blockDim.x) { \
      double acc = 0; \
      for (long long p = begin; p < end; p++) { \
        acc += (double)x[(long long)ins[p] * c + ch] * (double)g[(long long)outs[p] * c + ch]; \
      } \
      partials[(long long)blockIdx.x * c + ch] = acc; \
    } \
  }
FOR_TYPES(K_CONV)
