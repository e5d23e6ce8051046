// The strided rows of coords.cu, run on the host with cuda_emulation.h in the launch sequence
// org.jsparse.cuda.DeviceKernelMapBuilder#stridedRows uses. Reads:
//   n dimension axisBits, the dimension strides, the n packed keys
// and writes -1 when a floor leaves the packable range, else the number of rows kept, then the rows.
#include <cstdio>
#include <vector>

#include "cuda_emulation.h"
#include "coords.cu"

int main() {
  int n, dimension, axisBits;
  if (scanf("%d %d %d", &n, &dimension, &axisBits) != 3) return 2;
  std::vector<int> strides(dimension);
  for (auto& s : strides) scanf("%d", &s);
  std::vector<unsigned long long> keys(n), floored(n);
  for (auto& k : keys) scanf("%llu", &k);
  int outside = NO_ROW;
  emulate_launch(dim3(3), dim3(32), [&] {
    floor_keys(n, keys.data(), dimension, axisBits, strides.data(), floored.data(), &outside);
  });
  if (outside != NO_ROW) {
    printf("-1\n");
    return 0;
  }
  long long capacity = 16;
  while (capacity < 2LL * n) capacity <<= 1;
  long long mask = capacity - 1;
  std::vector<unsigned long long> slots(capacity, EMPTY_KEY);
  std::vector<int> rows(capacity, NO_ROW);
  emulate_launch(dim3(3), dim3(32), [&] { hash_insert(n, floored.data(), mask, slots.data(), rows.data()); });
  std::vector<int> table(n);
  emulate_launch(dim3(2), dim3(32), [&] {
    first_appearances(n, floored.data(), mask, slots.data(), rows.data(), table.data());
  });
  int chunks = (n + MAP_CHUNK - 1) / MAP_CHUNK;
  std::vector<int> starts(chunks + 1);
  if (chunks > 0) {
    emulate_launch(dim3(chunks, 1), dim3(MAP_THREADS), [&] { map_chunk_counts(n, table.data(), starts.data()); });
  }
  emulate_launch(dim3(1), dim3(MAP_THREADS), [&] { exclusive_scan(chunks, starts.data()); });
  int kept = starts[chunks];
  std::vector<int> ins(kept), outs(kept);
  if (chunks > 0) {
    emulate_launch(dim3(chunks, 1), dim3(MAP_THREADS),
        [&] { map_compact(n, table.data(), starts.data(), ins.data(), outs.data()); });
  }
  printf("%d\n", kept);
  for (int v : outs) printf("%d ", v);
  printf("\n");
  return 0;
}
