// Runs CUDA kernels of src/main/cuda on the host, for the CPU check of their logic
// (KernelMapKernelsOnCpuTest, ConvolutionKernelsOnCpuTest): every thread of a block is a std::thread,
// __syncthreads a barrier, __syncthreads_or a vote between barriers, __shared__ a static shared by
// the block's threads (blocks run one after another), atomics std::atomic_ref. Races between threads
// are real; warp-level intrinsics and dynamic shared memory are not emulated (the kernels checked
// this way use neither).
#pragma once
#include <atomic>
#include <cmath>
#include <barrier>
#include <thread>
#include <vector>

struct uint3 {
  unsigned x, y, z;
};
struct dim3 {
  unsigned x, y, z;
  dim3(unsigned a = 1, unsigned b = 1, unsigned c = 1) : x(a), y(b), z(c) {}
};

inline thread_local uint3 threadIdx;
inline uint3 blockIdx;
inline dim3 blockDim;
inline dim3 gridDim;
inline std::barrier<>* emulated_block_barrier;

#define __global__
#define __device__
#define __shared__ static

// CUDA's overloaded device min (the kernels take it on long long).
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline int min(int a, int b) { return a < b ? a : b; }

inline void __syncthreads() { emulated_block_barrier->arrive_and_wait(); }

// CUDA's block-wide vote: every thread gets whether any thread's predicate was non-zero. The third
// barrier keeps a thread that runs ahead into the next vote from setting the flag before it is reset.
inline std::atomic<int> emulated_vote{0};
inline int __syncthreads_or(int predicate) {
  if (predicate) emulated_vote.store(1);
  __syncthreads();
  int any = emulated_vote.load();
  __syncthreads();
  if (threadIdx.x == 0 && threadIdx.y == 0) emulated_vote.store(0);
  __syncthreads();
  return any;
}

inline unsigned long long atomicCAS(unsigned long long* at, unsigned long long expected, unsigned long long value) {
  std::atomic_ref<unsigned long long>(*at).compare_exchange_strong(expected, value);
  return expected;  // the old value either way
}

inline int atomicMin(int* at, int value) {
  std::atomic_ref<int> r(*at);
  int old = r.load();
  while (old > value && !r.compare_exchange_weak(old, value)) {
  }
  return old;
}

inline int atomicAdd(int* at, int value) { return std::atomic_ref<int>(*at).fetch_add(value); }

// Runs kernel() as grid x block threads: blocks in order, the threads of one block concurrently.
template <class Kernel>
void emulate_launch(dim3 grid, dim3 block, Kernel kernel) {
  gridDim = grid;
  blockDim = block;
  unsigned threads = block.x * block.y;
  std::barrier<> sync(threads), start(threads + 1), done(threads + 1);
  emulated_block_barrier = &sync;
  std::atomic<bool> finished{false};
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; t++) {
    workers.emplace_back([&, t] {
      threadIdx = {t % block.x, t / block.x, 0};
      while (true) {
        start.arrive_and_wait();
        if (finished.load()) return;
        kernel();
        done.arrive_and_wait();
      }
    });
  }
  for (unsigned y = 0; y < grid.y; y++) {
    for (unsigned x = 0; x < grid.x; x++) {
      blockIdx = {x, y, 0};
      start.arrive_and_wait();
      done.arrive_and_wait();
    }
  }
  finished.store(true);
  start.arrive_and_wait();
  for (auto& w : workers) w.join();
}
