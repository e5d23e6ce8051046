// Shared helpers of the jsparse CUDA kernels. Every kernel exists twice, _f32 and _f64, made by
// FOR_TYPES from one template; the Java side (org.jsparse.cuda.Kernel) names each with its
// parameter count, and KernelSignatureTest checks both against the PTX.
#pragma once

#define FOR_TYPES(M) M(float, f32) M(double, f64)

// A grid-stride loop over [0, n): any launch size covers any n.
#define GRID_STRIDE(i, n) \
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); \
       i += (long long)blockDim.x * gridDim.x)

// Chunks of a deterministic two-pass reduction: block b sums rows [b*chunk, (b+1)*chunk) into
// partials[b], a second kernel adds the partials in block order. The block count is fixed by the
// Java side (org.jsparse.cuda.Reductions.BLOCKS), so the summation order depends on the input only.
__device__ inline long long chunk_begin(long long chunk) { return (long long)blockIdx.x * chunk; }

// 1 / (1 + e^-v) without overflow for large |v| (PointwiseFunction.sigmoid on the host).
__device__ inline double sigmoid_of(double v) {
  if (v >= 0) return 1.0 / (1.0 + exp(-v));
  double e = exp(v);
  return e / (1.0 + e);
}
