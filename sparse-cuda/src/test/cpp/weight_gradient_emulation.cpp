// The convolution weight gradient of weight_gradient.cu, run on the host with cuda_emulation.h in the
// launch sequence of org.jsparse.cuda.MapOps#convolutionWeightGradient: per offset, weight_partials
// over `blocks` chunks of its pairs and the [Cin, Cout] tiles, then add_partials into gw[k]. Reads:
//   isDouble xRows cin gRows cout volume blocks, the volume+1 offset starts, the pairs' input rows,
//   their output rows, x, the output gradient g, gw's initial volume * cin * cout values
// and writes gw.
#include <cstdio>
#include <vector>

#include "cuda_emulation.h"
#include "emulation_io.h"
#include "weight_gradient.cu"

template <typename T>
static int run(int xRows, int cin, int gRows, int cout, int volume, int blocks) {
  std::vector<int> starts(volume + 1);
  for (auto& s : starts) scanf("%d", &s);
  std::vector<int> ins(starts[volume]), outs(starts[volume]);
  for (auto& i : ins) scanf("%d", &i);
  for (auto& o : outs) scanf("%d", &o);
  std::vector<T> x((size_t)xRows * cin), g((size_t)gRows * cout), gw((size_t)volume * cin * cout);
  read_values(x);
  read_values(g);
  read_values(gw);
  int width = cin * cout;
  int tiles = ((cin + WG_TILE - 1) / WG_TILE) * ((cout + WG_TILE - 1) / WG_TILE);
  std::vector<double> partials((size_t)blocks * width);
  for (int k = 0; k < volume; k++) {
    int n = starts[k + 1] - starts[k];
    if (n == 0) continue;
    long long chunk = (n + blocks - 1) / blocks;
    emulate_launch(dim3(blocks, tiles), dim3(WG_THREADS), [&] {
      weight_partials<T>(n, ins.data() + starts[k], outs.data() + starts[k], x.data(), cin, g.data(), cout, chunk,
          partials.data());
    });
    emulate_launch(dim3(2), dim3(32), [&] { add_partials<T>(blocks, width, partials.data(), gw.data() + (size_t)k * width); });
  }
  for (T v : gw) printf("%.17g ", (double)v);
  printf("\n");
  return 0;
}

int main() {
  int isDouble, xRows, cin, gRows, cout, volume, blocks;
  if (scanf("%d %d %d %d %d %d %d", &isDouble, &xRows, &cin, &gRows, &cout, &volume, &blocks) != 7) return 2;
  return isDouble ? run<double>(xRows, cin, gRows, cout, volume, blocks) : run<float>(xRows, cin, gRows, cout, volume, blocks);
}
