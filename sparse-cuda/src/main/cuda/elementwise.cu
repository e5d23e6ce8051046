// Pointwise activations, arithmetic, row gathers, segmented sums and column reductions. No kernel uses
// atomics for sums: results are deterministic.
#include "common.cuh"

// PointwiseFunction.Kind ordinals.
#define RELU 0
#define LEAKY_RELU 1
#define ELU 2
#define GELU 3
#define SIGMOID 4

__device__ inline double activation(int kind, double p, double v) {
  switch (kind) {
    case RELU: return v > 0 ? v : 0;
    case LEAKY_RELU: return v > 0 ? v : p * v;
    case ELU: return v > 0 ? v : p * expm1(v);
    case GELU: return 0.5 * v * (1 + tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)));
    default: return sigmoid_of(v);
  }
}

__device__ inline double derivative_at_input(int kind, double p, double v) {
  switch (kind) {
    case RELU: return v > 0 ? 1 : 0;
    case LEAKY_RELU: return v > 0 ? 1 : p;
    case ELU: return v > 0 ? 1 : p * exp(v);
    case GELU: {
      double t = tanh(0.7978845608028654 * (v + 0.044715 * v * v * v));
      double inner = 0.7978845608028654 * (1 + 3 * 0.044715 * v * v);
      return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * inner;
    }
    default: { double s = sigmoid_of(v); return s * (1 - s); }
  }
}

__device__ inline double derivative_at_output(int kind, double p, double y) {
  switch (kind) {
    case RELU: return y > 0 ? 1 : 0;
    case LEAKY_RELU: return y > 0 ? 1 : p;
    case ELU: return y > 0 ? 1 : y + p;
    default: return y * (1 - y);  // SIGMOID; GELU never comes here (the Java side refuses it)
  }
}

#define K_POINTWISE(T, S) \
  extern "C" __global__ void pointwise_forward_##S(int kind, double p, long long n, const T* x, T* y) { \
    GRID_STRIDE(i, n) y[i] = (T)activation(kind, p, (double)x[i]); \
  } \
  extern "C" __global__ void pointwise_backward_##S(int kind, double p, int atOutput, long long n, \
      const T* gradOut, const T* value, T* gradIn) { \
    GRID_STRIDE(i, n) { \
      double v = (double)value[i]; \
      double d = atOutput ? derivative_at_output(kind, p, v) : derivative_at_input(kind, p, v); \
      gradIn[i] = (T)((double)gradOut[i] * d); \
    } \
  }
FOR_TYPES(K_POINTWISE)

#define K_ARITHMETIC(T, S) \
  extern "C" __global__ void add_scaled_##S(long long n, const T* a, const T* b, double beta, T* out) { \
    GRID_STRIDE(i, n) out[i] = (T)((double)a[i] + beta * (double)b[i]); \
  } \
  extern "C" __global__ void multiply_##S(long long n, const T* a, const T* b, T* out) { \
    GRID_STRIDE(i, n) out[i] = a[i] * b[i]; \
  } \
  extern "C" __global__ void scale_##S(long long n, const T* a, double s, T* out) { \
    GRID_STRIDE(i, n) out[i] = (T)(s * (double)a[i]); \
  } \
  extern "C" __global__ void add_row_vector_##S(long long rows, int cols, const T* v, T* out) { \
    GRID_STRIDE(i, rows * cols) out[i] += v[i % cols]; \
  }
FOR_TYPES(K_ARITHMETIC)

// org.jsparse.core.backend.DropoutMask, bit for bit: SplitMix64's mixer of the stream key plus
// (i + 1) times the golden ratio; element i is dropped when the top 53 bits, as a double in [0, 1),
// are below p.
__device__ inline unsigned long long dropout_mix(unsigned long long z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

#define K_DROPOUT(T, S) \
  extern "C" __global__ void dropout_##S(long long n, const T* x, long long key, double p, double scale, T* out) { \
    GRID_STRIDE(i, n) { \
      unsigned long long z = dropout_mix((unsigned long long)key + (unsigned long long)(i + 1) * 0x9E3779B97F4A7C15ULL); \
      out[i] = (double)(z >> 11) * 0x1.0p-53 < p ? (T)0 : (T)(scale * (double)x[i]); \
    } \
  }
FOR_TYPES(K_DROPOUT)

#define K_ROWS(T, S) \
  extern "C" __global__ void copy_columns_##S(long long rows, const T* src, int srcCols, int srcColumn, T* dst, \
      int dstCols, int dstColumn, int width) { \
    GRID_STRIDE(i, rows * width) { \
      long long r = i / width; \
      int j = (int)(i % width); \
      dst[r * dstCols + dstColumn + j] = src[r * srcCols + srcColumn + j]; \
    } \
  } \
  extern "C" __global__ void gather_rows_##S(long long n, const int* rows, const T* src, int cols, T* dst, \
      int dstCols) { \
    GRID_STRIDE(i, n * cols) { \
      long long r = i / cols; \
      int j = (int)(i % cols); \
      dst[r * dstCols + j] = src[(long long)rows[r] * cols + j]; \
    } \
  } \
  /* dst[targets[s]] += scale * sum, in source order, of src[sources[j]] for j in [offsets[s], offsets[s+1]): */ \
  /* a scatter-add without atomics (the host groups the sources by target), so the sums are deterministic. */ \
  extern "C" __global__ void segment_sum_rows_##S(long long segments, const int* targets, const int* offsets, \
      const int* sources, const T* src, int cols, T* dst, double scale) { \
    GRID_STRIDE(i, segments * cols) { \
      long long s = i / cols; \
      int j = (int)(i % cols); \
      double acc = 0; \
      for (int k = offsets[s]; k < offsets[s + 1]; k++) acc += (double)src[(long long)sources[k] * cols + j]; \
      long long d = (long long)targets[s] * cols + j; \
      dst[d] = (T)((double)dst[d] + scale * acc); \
    } \
  } \
  extern "C" __global__ void first_non_finite_row_##S(long long rows, int cols, const T* x, int* result) { \
    GRID_STRIDE(i, rows * cols) { \
      if (!isfinite((double)x[i])) atomicMin(result, (int)(i / cols)); \
    } \
  } \
  extern "C" __global__ void greater_than_##S(long long n, const T* x, double threshold, unsigned char* out) { \
    GRID_STRIDE(i, n) out[i] = (double)x[i] > threshold; \
  } \
  extern "C" __global__ void column_partials_##S(long long rows, int cols, const T* x, long long chunk, \
      double* partials) { \
    long long begin = chunk_begin(chunk); \
    long long end = min(rows, begin + chunk); \
    for (int c = threadIdx.x; c < cols; c += blockDim.x) { \
      double s = 0; \
      for (long long r = begin; r < end; r++) s += (double)x[r * cols + c]; \
      partials[(long long)blockIdx.x * cols + c] = s; \
    } \
  }
FOR_TYPES(K_ROWS)

// out[j] = sum over blocks b in order of partials[b * width + j] (the second pass of every reduction).
extern "C" __global__ void sum_partials(int blocks, int width, const double* partials, double* out) {
  GRID_STRIDE(j, width) {
    double s = 0;
    for (int b = 0; b < blocks; b++) s += partials[(long long)b * width + j];
    out[j] = s;
  }
}
