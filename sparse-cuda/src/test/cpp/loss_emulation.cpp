// The losses of loss.cu, run on the host with cuda_emulation.h in the launch sequence of
// org.jsparse.cuda.LossKernels: the labels marked from the positives, the block partials of the
// binary cross-entropy and their sum in block order, then the gradient. Reads:
//   isDouble n positives blocks scale, the n logits, the positive elements
// and writes the loss sum, then the n gradient values.
#include <cstdio>
#include <type_traits>
#include <vector>

#include "cuda_emulation.h"
#include "emulation_io.h"
#include "loss.cu"

template <typename T>
static int run(long long n, int positives, int blocks, double scale) {
  std::vector<T> z(n), grad(n);
  read_values(z);
  std::vector<int> elements(positives);
  std::vector<unsigned char> labels(n, 0);
  for (auto& e : elements) scanf("%d", &e);
  emulate_launch(dim3(3), dim3(64), [&] { mark_elements(positives, elements.data(), labels.data()); });
  std::vector<double> partials(blocks);
  long long chunk = n / blocks + (n % blocks != 0);
  if (chunk < 1) chunk = 1;
  emulate_launch(dim3(blocks), dim3(LOSS_THREADS), [&] {
    bce_partials<T>(n, z.data(), labels.data(), chunk, partials.data());
  });
  double sum = 0;
  for (double p : partials) sum += p;  // sum_partials: the partials in block order
  printf("%.17g\n", sum);
  emulate_launch(dim3(5), dim3(64), [&] {
    if constexpr (std::is_same_v<T, double>) {
      bce_gradient_f64(n, z.data(), labels.data(), scale, grad.data());
    } else {
      bce_gradient_f32(n, z.data(), labels.data(), scale, grad.data());
    }
  });
  for (T v : grad) printf("%.17g ", (double)v);
  printf("\n");
  return 0;
}

int main() {
  int isDouble, positives, blocks;
  long long n;
  double scale;
  if (scanf("%d %lld %d %d %lf", &isDouble, &n, &positives, &blocks, &scale) != 5) return 2;
  return isDouble ? run<double>(n, positives, blocks, scale) : run<float>(n, positives, blocks, scale);
}
