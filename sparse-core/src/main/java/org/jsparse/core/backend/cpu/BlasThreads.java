package org.jsparse.core.backend.cpu;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the CPU convolution's parallel tasks, each calling BLAS on its own tile, with OpenBLAS
 * single-threaded. Left at its default, OpenBLAS (ND4J's OpenMP build) starts a team of threads
 * inside every such call, so two tasks on two cores ran four spinning threads: measured on the CT
 * bone (3x3x3, 475,759 sites), forward 325 ms against 142 ms at C = 16 and 1437 against 926 ms at
 * C = 64 (docs/benchmarks.md).
 *
 * <p>The BLAS thread count is a process-wide setting of the native library. It is set to one
 * once, before the first convolution, and left so: switching it around every convolution was
 * measured to cost 40-50 MB of resident memory in a CompletionNet step at R = 256 (OpenBLAS
 * re-allocates its per-thread buffers on each change) and no time. Dense ND4J products elsewhere
 * in the process then run on one BLAS thread; a program that wants otherwise sets the system
 * property {@code jsparse.blasThreads} to {@code keep} (BLAS left alone; the tiles then contend
 * with its threads) or to a number.
 */
final class BlasThreads {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BlasThreads.class);
  /** Set once: whether the BLAS thread count was configured for the tiles. */
  private static volatile boolean configured;

  private BlasThreads() {}

  /** {@code task.accept(t)} for t in {@code [0, tasks)} on the common pool. */
  static void parallel(int tasks, IntConsumer task) {
    configureOnce();
    IntStream.range(0, tasks).parallel().forEach(task);
  }

  private static void configureOnce() {
    if (configured) {
      return;
    }
    synchronized (BlasThreads.class) {
      if (configured) {
        return;
      }
      String wanted = System.getProperty("jsparse.blasThreads", "1").trim();
      if (!wanted.equals("keep")) {
        int threads;
        try {
          threads = Integer.parseInt(wanted);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "system property jsparse.blasThreads must be a thread count or 'keep', got '" + wanted + "'", e);
        }
        Blas blas = Nd4j.factory().blas();
        int before = blas.getMaxThreads();
        if (before != threads) {
          blas.setMaxThreads(threads);
          LOG.info("BLAS threads {} -> {}: the CPU convolution runs its tiles in parallel, one BLAS thread each "
              + "(system property jsparse.blasThreads=keep leaves BLAS alone)", before, threads);
        }
      }
      configured = true;
    }
  }
}
