// The device kernel-map build of coords.cu, run on the host with cuda_emulation.h in the launch
// sequence org.jsparse.cuda.DeviceKernelMapBuilder uses. Reads one query from stdin:
//   nIn nOut volume dimension axisBits sameKeys, inKeys, outKeys (unless sameKeys), deltas, axisOffsets
// and writes: the volume+1 offset starts, the pairs' input rows, their output rows, then the plain
// hash query of every output key (its input row or -1).
#include <cstdio>
#include <vector>

#include "cuda_emulation.h"
#include "coords.cu"

int main() {
  int nIn, nOut, volume, dimension, axisBits, sameKeys;
  if (scanf("%d %d %d %d %d %d", &nIn, &nOut, &volume, &dimension, &axisBits, &sameKeys) != 6) return 2;
  std::vector<unsigned long long> inKeys(nIn), outKeys(nOut);
  for (auto& k : inKeys) scanf("%llu", &k);
  if (sameKeys) {
    outKeys = inKeys;
  } else {
    for (auto& k : outKeys) scanf("%llu", &k);
  }
  std::vector<long long> deltas(volume);
  for (auto& d : deltas) scanf("%lld", &d);
  std::vector<int> axisOffsets(volume * dimension);
  for (auto& a : axisOffsets) scanf("%d", &a);

  long long capacity = 16;
  while (capacity < 2LL * nIn) capacity <<= 1;
  long long mask = capacity - 1;
  std::vector<unsigned long long> slots(capacity, EMPTY_KEY);
  std::vector<int> rows(capacity, NO_ROW);
  // small grids, so every grid-stride loop strides
  emulate_launch(dim3(3), dim3(32), [&] { hash_insert(nIn, inKeys.data(), mask, slots.data(), rows.data()); });

  std::vector<int> table((size_t)nOut * volume);
  emulate_launch(dim3(3), dim3(32), [&] {
    map_neighbours(nOut, outKeys.data(), volume, deltas.data(), axisOffsets.data(), dimension, axisBits, mask,
        slots.data(), rows.data(), table.data());
  });
  int chunks = (nOut + MAP_CHUNK - 1) / MAP_CHUNK;
  std::vector<int> starts((size_t)chunks * volume + 1);
  if (chunks > 0) {
    emulate_launch(dim3(chunks, volume), dim3(MAP_THREADS), [&] { map_chunk_counts(nOut, table.data(), starts.data()); });
  }
  emulate_launch(dim3(1), dim3(MAP_THREADS), [&] { exclusive_scan(chunks * volume, starts.data()); });
  int total = starts[(size_t)chunks * volume];
  std::vector<int> ins(total), outs(total);
  if (chunks > 0) {
    emulate_launch(dim3(chunks, volume), dim3(MAP_THREADS),
        [&] { map_compact(nOut, table.data(), starts.data(), ins.data(), outs.data()); });
  }
  std::vector<int> found(nOut);
  emulate_launch(dim3(2), dim3(32), [&] { hash_query(nOut, outKeys.data(), mask, slots.data(), rows.data(), found.data()); });

  for (int k = 0; k < volume; k++) printf("%d ", chunks > 0 ? starts[(size_t)k * chunks] : 0);
  printf("%d\n", total);
  for (int v : ins) printf("%d ", v);
  printf("\n");
  for (int v : outs) printf("%d ", v);
  printf("\n");
  for (int v : found) printf("%d ", v);
  printf("\n");
  return 0;
}
