// Losses as deterministic reductions: block b sums its fixed chunk of elements (each thread a
// strided share, then a tree over the block's threads in a fixed order) into partials[b], and
// sum_partials (elementwise.cu) adds the partials in block order. Labels are a byte per element,
// 1 at the positives that mark_elements sets.
#include "common.cuh"

// Threads of a loss_partials block: a power of two, for the tree.
#define LOSS_THREADS 256

// labels[elements[i]] = 1 for i < n (the elements are distinct).
extern "C" __global__ void mark_elements(int n, const int* elements, unsigned char* labels) {
  GRID_STRIDE(i, n) labels[elements[i]] = 1;
}

// partials[b] = sum over the elements e of chunk b of max(z, 0) - z t + log(1 + e^-|z|).
template <typename T>
__device__ void bce_partials(long long n, const T* z, const unsigned char* labels, long long chunk, double* partials) {
  __shared__ double sums[LOSS_THREADS];
  long long begin = chunk_begin(chunk);
  long long end = min(n, begin + chunk);
  double s = 0;
  for (long long e = begin + threadIdx.x; e < end; e += LOSS_THREADS) {
    double v = (double)z[e];
    s += fmax(v, 0.0) - (labels[e] ? v : 0.0) + log1p(exp(-fabs(v)));
  }
  sums[threadIdx.x] = s;
  __syncthreads();
  for (int half = LOSS_THREADS / 2; half > 0; half /= 2) {
    if (threadIdx.x < half) sums[threadIdx.x] += sums[threadIdx.x + half];
    __syncthreads();
  }
  if (threadIdx.x == 0) partials[blockIdx.x] = sums[0];
}

#define K_LOSS(T, S) \
  extern "C" __global__ void bce_partials_##S(long long n, const T* z, const unsigned char* labels, long long chunk, \
      double* partials) { \
    bce_partials<T>(n, z, labels, chunk, partials); \
  } \
  extern "C" __global__ void bce_gradient_##S(long long n, const T* z, const unsigned char* labels, double scale, \
      T* out) { \
    GRID_STRIDE(e, n) out[e] = (T)(scale * (sigmoid_of((double)z[e]) - (double)labels[e])); \
  }
FOR_TYPES(K_LOSS)
