// The weight gradient of a convolution over one offset of a kernel map, a deterministic two-pass
// reduction: block (b, t) sums the pairs of chunk b into partials[b] for a WG_TILE x WG_TILE tile t
// of [Cin, Cout], staging WG_PAIRS gathered rows of x and of the output gradient in shared memory at
// a time; add_partials then adds the partials in block order. Each value is summed over its chunk's
// pairs in pair order, in double, so the result depends on the input only.
#include "common.cuh"

#define WG_TILE 32
#define WG_PAIRS 32
#define WG_THREADS 256
// A thread's register tile: 2 x 2 values of the block's 32 x 32 (16 x 16 threads).
#define WG_SPAN 2

// partials[b][j * cout + c] = sum over the pairs p of chunk b of x[ins[p], j] * g[outs[p], c], for
// the tile blockIdx.y of [cin, cout] (row-major over tiles of cout).
template <typename T>
__device__ void weight_partials(int pairs, const int* ins, const int* outs, const T* x, int cin, const T* g,
    int cout, long long chunk, double* partials) {
  __shared__ double xs[WG_PAIRS][WG_TILE + 1];
  __shared__ double gs[WG_PAIRS][WG_TILE + 1];
  int colTiles = (cout + WG_TILE - 1) / WG_TILE;
  int j0 = (blockIdx.y / colTiles) * WG_TILE;
  int c0 = (blockIdx.y % colTiles) * WG_TILE;
  int tid = threadIdx.x;
  int tj = tid / (WG_TILE / WG_SPAN);
  int tc = tid % (WG_TILE / WG_SPAN);
  long long begin = chunk_begin(chunk);
  long long end = min((long long)pairs, begin + chunk);
  double acc[WG_SPAN][WG_SPAN];
  for (int a = 0; a < WG_SPAN; a++)
    for (int b = 0; b < WG_SPAN; b++) acc[a][b] = 0;
  for (long long p0 = begin; p0 < end; p0 += WG_PAIRS) {
    for (int e = tid; e < WG_PAIRS * WG_TILE; e += WG_THREADS) {
      int q = e / WG_TILE;
      int v = e % WG_TILE;
      long long p = p0 + q;
      bool here = p < end;
      xs[q][v] = here && j0 + v < cin ? (double)x[(long long)ins[p] * cin + j0 + v] : 0.0;
      gs[q][v] = here && c0 + v < cout ? (double)g[(long long)outs[p] * cout + c0 + v] : 0.0;
    }
    __syncthreads();
    for (int q = 0; q < WG_PAIRS; q++) {
      double xv[WG_SPAN];
      double gv[WG_SPAN];
      for (int a = 0; a < WG_SPAN; a++) xv[a] = xs[q][tj * WG_SPAN + a];
      for (int b = 0; b < WG_SPAN; b++) gv[b] = gs[q][tc * WG_SPAN + b];
      for (int a = 0; a < WG_SPAN; a++)
        for (int b = 0; b < WG_SPAN; b++) acc[a][b] += xv[a] * gv[b];
    }
    __syncthreads();
  }
  long long width = (long long)cin * cout;
  for (int a = 0; a < WG_SPAN; a++) {
    int j = j0 + tj * WG_SPAN + a;
    for (int b = 0; b < WG_SPAN; b++) {
      int c = c0 + tc * WG_SPAN + b;
      if (j < cin && c < cout) partials[blockIdx.x * width + (long long)j * cout + c] = acc[a][b];
    }
  }
}

// out[j] += sum over blocks b in order of partials[b * width + j].
template <typename T>
__device__ void add_partials(int blocks, int width, const double* partials, T* out) {
  GRID_STRIDE(j, width) {
    double s = 0;
    for (int b = 0; b < blocks; b++) s += partials[(long long)b * width + j];
    out[j] = (T)((double)out[j] + s);
  }
}

#define K_WEIGHT_GRADIENT(T, S) \
  extern "C" __global__ void weight_partials_##S(int pairs, const int* ins, const int* outs, const T* x, int cin, \
      const T* g, int cout, long long chunk, double* partials) { \
    weight_partials<T>(pairs, ins, outs, x, cin, g, cout, chunk, partials); \
  } \
  extern "C" __global__ void add_partials_##S(int blocks, int width, const double* partials, T* out) { \
    add_partials<T>(blocks, width, partials, out); \
  }
FOR_TYPES(K_WEIGHT_GRADIENT)
