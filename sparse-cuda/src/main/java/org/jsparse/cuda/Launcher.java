package org.jsparse.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * Loads the shipped kernel modules into a device's context on first use (the fatbin: SASS for
 * sm_80/sm_90, PTX the driver compiles for newer GPUs) and launches {@link Kernel}s, checking the
 * argument count against the kernel's. Arguments are {@code Integer}, {@code Long}, {@code Double}
 * or device pointers ({@link #NULL} for a null one). Callers hold the backend's lock.
 */
final class Launcher implements AutoCloseable {
  /** A null device pointer argument. */
  static final CUdeviceptr NULL = new CUdeviceptr();
  /** Threads per block of the one-dimensional (grid-stride) kernels. */
  static final int THREADS = 256;
  private static final int MAX_BLOCKS = 8192;

  private final Map<String, CUmodule> modules = new HashMap<>();
  private final Map<Kernel, CUfunction[]> functions = new EnumMap<>(Kernel.class);

  private CUfunction function(Kernel k, boolean isDouble) {
    CUfunction[] both = functions.computeIfAbsent(k, x -> new CUfunction[2]);
    int slot = isDouble ? 1 : 0;
    if (both[slot] == null) {
      CUfunction f = new CUfunction();
      Cuda.check(cuModuleGetFunction(f, module(k.module), k.entry(isDouble)), "cuModuleGetFunction " + k.entry(isDouble));
      both[slot] = f;
    }
    return both[slot];
  }

  private CUmodule module(String name) {
    CUmodule m = modules.get(name);
    if (m == null) {
      m = new CUmodule();
      Cuda.check(cuModuleLoadData(m, bytes(Kernel.resource(name, "fatbin"))), "cuModuleLoadData " + name
          + " (the kernels need a driver for CUDA 13, version 580 or later)");
      modules.put(name, m);
    }
    return m;
  }

  private static byte[] bytes(String resource) {
    try (InputStream in = Launcher.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the sparse-cuda jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Blocks of {@link #THREADS} for a grid-stride loop over n elements. */
  static int blocksFor(long n) {
    return (int) Math.max(1, Math.min(MAX_BLOCKS, (n + THREADS - 1) / THREADS));
  }

  /** A one-dimensional grid-stride launch over {@code n} elements. */
  void gridStride(Kernel k, boolean isDouble, long n, Object... args) {
    launch(k, isDouble, blocksFor(n), 1, THREADS, 1, 0, args);
  }

  /** A launch with an explicit grid, block and dynamic shared memory. */
  void launch(Kernel k, boolean isDouble, int gridX, int gridY, int blockX, int blockY, int sharedBytes,
      Object... args) {
    if (args.length != k.signature.length()) {
      throw new IllegalArgumentException(k + " takes " + k.signature.length() + " arguments, got " + args.length);
    }
    Pointer[] params = new Pointer[args.length];
    for (int i = 0; i < args.length; i++) {
      params[i] = pointerTo(k, i, k.signature.charAt(i), args[i]);
    }
    Cuda.check(cuLaunchKernel(function(k, isDouble), gridX, gridY, 1, blockX, blockY, 1, sharedBytes, null,
        Pointer.to(params), null), "launch " + k.entry(isDouble));
  }

  /** The kernel-parameter pointer of one argument, which must have the type its signature letter says. */
  static Pointer pointerTo(Kernel k, int i, char letter, Object arg) {
    if (letter == 'i' && arg instanceof Integer v) {
      return Pointer.to(new int[] {v});
    } else if (letter == 'l' && arg instanceof Long v) {
      return Pointer.to(new long[] {v});
    } else if (letter == 'd' && arg instanceof Double v) {
      return Pointer.to(new double[] {v});
    } else if (letter == 'p' && arg instanceof CUdeviceptr p) {
      return Pointer.to(p);
    }
    throw new IllegalArgumentException(k + " argument " + i + " must be " + switch (letter) {
      case 'i' -> "an int";
      case 'l' -> "a long";
      case 'd' -> "a double";
      default -> "a device pointer";
    } + ", got " + (arg == null ? "null (pass Launcher.NULL for a null pointer)" : "a " + arg.getClass().getSimpleName()));
  }

  @Override
  public void close() {
    modules.values().forEach(m -> cuModuleUnload(m));
    modules.clear();
    functions.clear();
  }
}
