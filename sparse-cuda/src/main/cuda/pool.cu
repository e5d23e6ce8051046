// Pooling over one offset of a kernel map at a time (no two pairs of one offset share an output or
// an input row). Max pooling keeps the earlier pair on ties, as on the CPU; its backward is a
// segmented sum (segment_sum_rows in elementwise.cu, the winners grouped by input on the host),
// because one input row can win for several outputs.
#include "common.cuh"

#define K_POOL(T, S) \
  extern "C" __global__ void pool_max_offset_##S(int pairs, const int* ins, const int* outs, const T* x, int c, T* y, \
      int* argmax) { \
    GRID_STRIDE(i, (long long)pairs * c) { \
      long long p = i / c; \
      int ch = (int)(i % c); \
      long long o = (long long)outs[p] * c + ch; \
      T v = x[(long long)ins[p] * c + ch]; \
      if (argmax[o] < 0 || v > y[o]) { \
        y[o] = v; \
        argmax[o] = ins[p]; \
      } \
    } \
  } \
  extern "C" __global__ void pool_sum_offset_##S(int pairs, const int* srcRows, const int* dstRows, const T* src, \
      int c, T* dst, const int* counts, int countsAtDst) { \
    GRID_STRIDE(i, (long long)pairs * c) { \
      long long p = i / c; \
      int ch = (int)(i % c); \
      T v = src[(long long)srcRows[p] * c + ch]; \
      if (counts) v = (T)((double)v / (double)counts[countsAtDst ? dstRows[p] : srcRows[p]]); \
      dst[(long long)dstRows[p] * c + ch] += v; \
    } \
  }
FOR_TYPES(K_POOL)
