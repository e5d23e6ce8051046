package org.jsparse.core.backend.cpu;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the CPU convolution's parallel tasks with OpenBLAS single-threaded. Each task calls BLAS
 * on its own small tile; left at its default, OpenBLAS (ND4J's OpenMP build) also starts a team
 * of threads inside every such call, so two tasks on two cores ran four spinning threads: measured
 * on the CT bone (3x3x3, 475,759 sites), forward 325 ms against 142 ms at C = 16 and 1437 against
 * 926 ms at C = 64 (docs/benchmarks.md).
 *
 * <p>The BLAS thread count is a process-wide setting of the native library, so it is changed
 * only while at least one convolution runs (a count of the regions in flight) and restored when
 * the last one ends. A dense ND4J product another thread runs meanwhile gets one thread for that
 * moment: slower, never different.
 */
final class BlasThreads {
  private static final Object LOCK = new Object();
  private static int regions;
  private static int saved;

  private BlasThreads() {}

  /** {@code task.accept(t)} for t in {@code [0, tasks)} on the common pool, BLAS single-threaded meanwhile. */
  static void parallel(int tasks, IntConsumer task) {
    // even one task keeps BLAS single-threaded: OpenBLAS blocks a product differently with more
    // threads, so its float sums would then depend on the machine
    enter();
    try {
      IntStream.range(0, tasks).parallel().forEach(task);
    } finally {
      exit();
    }
  }

  private static void enter() {
    synchronized (LOCK) {
      if (regions++ == 0) {
        Blas blas = Nd4j.factory().blas();
        saved = blas.getMaxThreads();
        if (saved != 1) {
          blas.setMaxThreads(1);
        }
      }
    }
  }

  private static void exit() {
    synchronized (LOCK) {
      if (--regions == 0 && saved != 1) {
        Nd4j.factory().blas().setMaxThreads(saved);
      }
    }
  }
}
