// Grouped normalization (batch norm: one group; instance norm: a group per batch item). Sums are
// fixed-block two-pass reductions in double (sum_partials in elementwise.cu adds the blocks), so
// the statistics are deterministic. A null group array puts every row in group 0.
#include "common.cuh"

#define K_NORM(T, S) \
  /* partials[b][g * c + ch]: the sum over block b's rows of group g of x (mean null) or (x - mean)^2. */ \
  extern "C" __global__ void group_partials_##S(long long rows, int c, const T* x, const int* group, int groups, \
      const double* mean, long long chunk, double* partials) { \
    long long begin = chunk_begin(chunk); \
    long long end = min(rows, begin + chunk); \
    double* out = partials + (long long)blockIdx.x * groups * c; \
    for (int e = threadIdx.x; e < groups * c; e += blockDim.x) out[e] = 0; \
    __syncthreads(); \
    for (int ch = threadIdx.x; ch < c; ch += blockDim.x) { \
      for (long long r = begin; r < end; r++) { \
        int s = (group ? group[r] : 0) * c + ch; \
        double v = (double)x[r * c + ch]; \
        if (mean) { v -= mean[s]; v *= v; } \
        out[s] += v; \
      } \
    } \
  } \
  extern "C" __global__ void normalize_##S(long long rows, int c, const T* x, const int* group, const double* mean, \
      const double* invStd, const double* gamma, const double* beta, T* y) { \
    GRID_STRIDE(i, rows * c) { \
      long long r = i / c; \
      int ch = (int)(i % c); \
      int s = (group ? group[r] : 0) * c + ch; \
      double xhat = ((double)x[i] - mean[s]) * invStd[s]; \
      y[i] = (T)(xhat * (gamma ? gamma[ch] : 1.0) + (beta ? beta[ch] : 0.0)); \
    } \
  } \
  /* partials[b][0][g * c + ch] = sum of dOut, partials[b][1][g * c + ch] = sum of dOut * xhat over block b's rows. */ \
  extern "C" __global__ void normalize_backward_partials_##S(long long rows, int c, const T* g, const T* x, \
      const int* group, int groups, const double* mean, const double* invStd, long long chunk, double* partials) { \
    long long begin = chunk_begin(chunk); \
    long long end = min(rows, begin + chunk); \
    int width = groups * c; \
    double* sumG = partials + (long long)blockIdx.x * 2 * width; \
    double* sumGx = sumG + width; \
    for (int e = threadIdx.x; e < width; e += blockDim.x) { sumG[e] = 0; sumGx[e] = 0; } \
    __syncthreads(); \
    for (int ch = threadIdx.x; ch < c; ch += blockDim.x) { \
      for (long long r = begin; r < end; r++) { \
        int s = (group ? group[r] : 0) * c + ch; \
        double go = (double)g[r * c + ch]; \
        double xhat = ((double)x[r * c + ch] - mean[s]) * invStd[s]; \
        sumG[s] += go; \
        sumGx[s] += go * xhat; \
      } \
    } \
  } \
  /* With batch statistics (meanD non-null): dIn = invStd (d - meanD - xhat meanDx), d = dOut gamma; else dIn = d invStd. */ \
  extern "C" __global__ void normalize_backward_##S(long long rows, int c, const T* g, const T* x, const int* group, \
      const double* mean, const double* invStd, const double* gamma, const double* meanD, const double* meanDx, \
      T* gin) { \
    GRID_STRIDE(i, rows * c) { \
      long long r = i / c; \
      int ch = (int)(i % c); \
      int s = (group ? group[r] : 0) * c + ch; \
      double d = (double)g[i] * (gamma ? gamma[ch] : 1.0); \
      if (meanD) { \
        double xhat = ((double)x[i] - mean[s]) * invStd[s]; \
        gin[i] = (T)(invStd[s] * (d - meanD[s] - xhat * meanDx[s])); \
      } else { \
        gin[i] = (T)(d * invStd[s]); \
      } \
    } \
  }
FOR_TYPES(K_NORM)
