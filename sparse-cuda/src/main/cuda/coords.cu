// Kernel maps built on the device from packed coordinate keys (org.jsparse.core.internal.CoordinatePacker:
// batch then axes, offset-binary fields of axisBits bits, never negative, so the all-ones word marks an
// empty slot). The input keys go into an open-addressing hash (linear probing, capacity a power of two
// at least twice the rows); every (offset k, output o) looks up key(o) + delta(k) where the offset keeps
// every axis inside its field, into table[k * nOut + o] (the input row or -1); then a stable compaction,
// offset-major and by output row within an offset, writes the pairs in the host builder's order. Chunk
// counts, their exclusive scan and the compaction are fixed-shape block scans, so the result does not
// depend on scheduling: no float is summed here and every position is computed, not claimed.
//
// Kernels with __syncthreads run with MAP_THREADS threads a block; the others are grid-stride loops.
// The same source compiles on the host with cuda_emulation.h (src/test/cpp) for the CPU check.
#include "common.cuh"

#define EMPTY_KEY 0xFFFFFFFFFFFFFFFFull
#define NO_ROW 0x7FFFFFFF
#define MAP_THREADS 256
#define MAP_CHUNK 1024

// MurmurHash3's 64-bit finalizer: neighbouring keys differ in low bits, the mix spreads them.
__device__ inline unsigned long long mix_key(unsigned long long k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

// Inserts row i's key; a key seen twice keeps its smallest row (atomicMin), as the host hash keeps the
// first. slots start EMPTY_KEY, rows NO_ROW. The table has twice the rows' slots, so a probe ends.
extern "C" __global__ void hash_insert(int n, const unsigned long long* keys, long long mask,
    unsigned long long* slots, int* rows) {
  GRID_STRIDE(i, n) {
    unsigned long long key = keys[i];
    unsigned long long s = mix_key(key) & (unsigned long long)mask;
    while (true) {
      unsigned long long prev = atomicCAS(&slots[s], EMPTY_KEY, key);
      if (prev == EMPTY_KEY || prev == key) {
        atomicMin(&rows[s], (int)i);
        break;
      }
      s = (s + 1) & (unsigned long long)mask;
    }
  }
}

// The row of a key, or -1.
__device__ inline int hash_find(unsigned long long key, unsigned long long mask, const unsigned long long* slots,
    const int* rows) {
  unsigned long long s = mix_key(key) & mask;
  while (true) {
    unsigned long long k = slots[s];
    if (k == key) return rows[s];
    if (k == EMPTY_KEY) return -1;
    s = (s + 1) & mask;
  }
}

// rows[i] = the row of keys[i] in the hash, or -1 (a plain query).
extern "C" __global__ void hash_query(int n, const unsigned long long* keys, long long mask,
    const unsigned long long* slots, const int* rows, int* found) {
  GRID_STRIDE(i, n) { found[i] = hash_find(keys[i], (unsigned long long)mask, slots, rows); }
}

// table[k * nOut + o] = the input row at outKeys[o] + deltas[k], or -1 where there is none or the
// offset (axisOffsets[k * dimension + a], signed as the map needs) leaves an axis's field.
extern "C" __global__ void map_neighbours(int nOut, const unsigned long long* outKeys, int volume,
    const long long* deltas, const int* axisOffsets, int dimension, int axisBits, long long mask,
    const unsigned long long* slots, const int* rows, int* table) {
  long long fieldMax = (1ll << axisBits) - 1;
  GRID_STRIDE(t, (long long)nOut * volume) {
    int k = (int)(t / nOut);
    int o = (int)(t % nOut);
    unsigned long long key = outKeys[o];
    bool inside = true;
    for (int a = 0; a < dimension; a++) {
      long long field = (long long)((key >> ((dimension - 1 - a) * axisBits)) & (unsigned long long)fieldMax);
      long long moved = field + axisOffsets[k * dimension + a];
      inside = inside && moved >= 0 && moved <= fieldMax;
    }
    table[t] = inside ? hash_find(key + (unsigned long long)deltas[k], (unsigned long long)mask, slots, rows) : -1;
  }
}

// Exclusive scan of v over the block (Hillis-Steele in s[MAP_THREADS]); *total gets the block's sum.
__device__ inline int block_exclusive_scan(int v, int* s, int* total) {
  int tid = threadIdx.x;
  s[tid] = v;
  __syncthreads();
  for (int d = 1; d < MAP_THREADS; d <<= 1) {
    int add = tid >= d ? s[tid - d] : 0;
    __syncthreads();
    s[tid] += add;
    __syncthreads();
  }
  int inclusive = s[tid];
  *total = s[MAP_THREADS - 1];
  __syncthreads();
  return inclusive - v;
}

// counts[k * chunks + c] = pairs of offset k (blockIdx.y) among outputs [c * MAP_CHUNK, (c+1) * MAP_CHUNK).
extern "C" __global__ void map_chunk_counts(int nOut, const int* table, int* counts) {
  __shared__ int s[MAP_THREADS];
  int k = blockIdx.y;
  int c = blockIdx.x;
  int local = 0;
  for (int j = threadIdx.x; j < MAP_CHUNK; j += MAP_THREADS) {
    int o = c * MAP_CHUNK + j;
    if (o < nOut && table[(long long)k * nOut + o] >= 0) local++;
  }
  int total;
  block_exclusive_scan(local, s, &total);
  if (threadIdx.x == 0) counts[(long long)k * gridDim.x + c] = total;
}

// In place: values[i] becomes the sum of values[0..i), values[n] the sum of all (one block).
extern "C" __global__ void exclusive_scan(int n, int* values) {
  __shared__ int s[MAP_THREADS];
  int carry = 0;
  for (int base = 0; base < n; base += MAP_THREADS) {
    int i = base + threadIdx.x;
    int v = i < n ? values[i] : 0;
    int total;
    int before = block_exclusive_scan(v, s, &total);
    if (i < n) values[i] = carry + before;
    carry += total;
  }
  if (threadIdx.x == 0) values[n] = carry;
}

// Writes offset k's pairs of chunk c from position starts[k * chunks + c] on, by output row.
extern "C" __global__ void map_compact(int nOut, const int* table, const int* starts, int* ins, int* outs) {
  __shared__ int s[MAP_THREADS];
  int k = blockIdx.y;
  int c = blockIdx.x;
  int position = starts[(long long)k * gridDim.x + c];
  for (int base = 0; base < MAP_CHUNK; base += MAP_THREADS) {
    int o = c * MAP_CHUNK + base + threadIdx.x;
    int row = o < nOut ? table[(long long)k * nOut + o] : -1;
    int total;
    int before = block_exclusive_scan(row >= 0 ? 1 : 0, s, &total);
    if (row >= 0) {
      ins[position + before] = row;
      outs[position + before] = o;
    }
    position += total;
  }
}

// Strided coordinates: floored[i] = keys[i] with every axis floored to a multiple of strides[a]
// (toward minus infinity; fields are offset-binary around 2^(axisBits-1)). A floor that leaves its
// field puts the smallest such row into *outside (atomicMin; the host then refuses with the
// packer's own message).
extern "C" __global__ void floor_keys(int n, const unsigned long long* keys, int dimension, int axisBits,
    const int* strides, unsigned long long* floored, int* outside) {
  long long fieldMax = (1ll << axisBits) - 1;
  long long bias = 1ll << (axisBits - 1);
  GRID_STRIDE(i, n) {
    unsigned long long key = keys[i];
    unsigned long long out = key >> (dimension * axisBits);  // the batch index
    bool inside = true;
    for (int a = 0; a < dimension; a++) {
      long long c = (long long)((key >> ((dimension - 1 - a) * axisBits)) & (unsigned long long)fieldMax) - bias;
      long long t = strides[a];
      long long q = c >= 0 ? c / t : -((-c + t - 1) / t);
      long long field = q * t + bias;
      inside = inside && field >= 0;
      out = (out << axisBits) | ((unsigned long long)field & (unsigned long long)fieldMax);
    }
    floored[i] = out;
    if (!inside) atomicMin(outside, (int)i);
  }
}

// table[i] = i where row i is the first appearance of its key (the smallest row the hash kept for it),
// else -1: compacted with map_chunk_counts / exclusive_scan / map_compact as a one-offset map, the
// first appearances in row order, the host's order of a strided map's rows.
extern "C" __global__ void first_appearances(int n, const unsigned long long* keys, long long mask,
    const unsigned long long* slots, const int* rows, int* table) {
  GRID_STRIDE(i, n) table[i] = hash_find(keys[i], (unsigned long long)mask, slots, rows) == (int)i ? (int)i : -1;
}
