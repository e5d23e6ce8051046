// Reading a problem for the emulated kernels from stdin: every value is written by the Java side as
// a decimal double and converted to the kernel's element type here.
#pragma once
#include <cstdio>
#include <vector>

template <typename T>
void read_values(std::vector<T>& v) {
  for (auto& x : v) {
    double d;
    if (scanf("%lf", &d) != 1) d = 0;
    x = (T)d;
  }
}
