// The optimizers' updates in place, one thread per element, in double (as the CPU's OptimizerKernels).
#include "common.cuh"

#define K_OPTIM(T, S) \
  extern "C" __global__ void adam_step_##S(long long n, T* p, const T* g, T* m, T* v, T* vmax, double stepSize, \
      double b1, double b2, double bc2, double eps, double decay, double l2) { \
    GRID_STRIDE(i, n) { \
      double pi = (double)p[i] * decay; \
      double gi = (double)g[i] + l2 * pi; \
      double mi = b1 * (double)m[i] + (1 - b1) * gi; \
      double vi = b2 * (double)v[i] + (1 - b2) * gi * gi; \
      m[i] = (T)mi; \
      v[i] = (T)vi; \
      double second = vi; \
      if (vmax) { second = fmax((double)vmax[i], vi); vmax[i] = (T)second; } \
      p[i] = (T)(pi - stepSize * mi / (sqrt(second / bc2) + eps)); \
    } \
  } \
  extern "C" __global__ void sgd_step_##S(long long n, T* p, const T* g, T* velocity, double lr, double mu, double wd, \
      int nesterov, int firstStep) { \
    GRID_STRIDE(i, n) { \
      double pi = (double)p[i]; \
      double gi = (double)g[i] + wd * pi; \
      if (velocity) { \
        double vi = firstStep ? gi : mu * (double)velocity[i] + gi; \
        velocity[i] = (T)vi; \
        gi = nesterov ? gi + mu * vi : vi; \
      } \
      p[i] = (T)(pi - lr * gi); \
    } \
  }
FOR_TYPES(K_OPTIM)
