// The fused implicit-GEMM convolution of implicit_gemm.cu, run on the host with cuda_emulation.h in
// the launch sequence org.jsparse.cuda.MapOps#implicitConvolution uses (passes of passRows
// destination rows: the neighbour table filled with -1, then per offset from its pairs, then one
// implicit_gemm launch). Reads from stdin:
//   isDouble srcRows srcCols dstRows dstCols volume passRows kStride wRowStride wColStride,
//   the volume+1 offset starts, the pairs' key rows (destination side), their value rows (source
//   side), src values, the volume * srcCols * dstCols weights, dst's initial values
// and writes dst's values.
#include <cstdio>
#include <vector>

#include "cuda_emulation.h"
#include "emulation_io.h"
#include "implicit_gemm.cu"

template <typename T>
static int run(int srcRows, int srcCols, int dstRows, int dstCols, int volume, int passRows, long long kStride,
    int wRowStride, int wColStride) {
  std::vector<int> starts(volume + 1);
  for (auto& s : starts) scanf("%d", &s);
  std::vector<int> keys(starts[volume]), values(starts[volume]);
  for (auto& k : keys) scanf("%d", &k);
  for (auto& v : values) scanf("%d", &v);
  std::vector<T> src((size_t)srcRows * srcCols), w((size_t)volume * srcCols * dstCols), dst((size_t)dstRows * dstCols);
  read_values(src);
  read_values(w);
  read_values(dst);
  for (int first = 0; first < dstRows; first += passRows) {
    int rows = dstRows - first < passRows ? dstRows - first : passRows;
    std::vector<int> table((size_t)volume * rows, -1);
    for (int k = 0; k < volume; k++) {
      int n = starts[k + 1] - starts[k];
      if (n > 0) {
        emulate_launch(dim3(2), dim3(32), [&] {
          fill_neighbour_table(n, keys.data() + starts[k], values.data() + starts[k], first, rows,
              table.data() + (size_t)k * rows);
        });
      }
    }
    dim3 grid((rows + IG_ROWS - 1) / IG_ROWS, (dstCols + IG_COLS - 1) / IG_COLS);
    emulate_launch(grid, dim3(IG_THREADS), [&] {
      implicit_gemm<T>(rows, volume, table.data(), src.data(), srcCols, w.data(), kStride, wRowStride, wColStride,
          dst.data(), first, dstCols);
    });
  }
  for (T v : dst) printf("%.17g ", (double)v);
  printf("\n");
  return 0;
}

int main() {
  int isDouble, srcRows, srcCols, dstRows, dstCols, volume, passRows, wRowStride, wColStride;
  long long kStride;
  if (scanf("%d %d %d %d %d %d %d %lld %d %d", &isDouble, &srcRows, &srcCols, &dstRows, &dstCols, &volume, &passRows,
          &kStride, &wRowStride, &wColStride) != 10) {
    return 2;
  }
  return isDouble ? run<double>(srcRows, srcCols, dstRows, dstCols, volume, passRows, kStride, wRowStride, wColStride)
                  : run<float>(srcRows, srcCols, dstRows, dstCols, volume, passRows, kStride, wRowStride, wColStride);
}
