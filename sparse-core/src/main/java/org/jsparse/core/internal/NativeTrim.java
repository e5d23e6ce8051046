package org.jsparse.core.internal;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands the C allocator's free pages back to the system ({@code malloc_trim(0)}, through JavaCPP's
 * own binding, which 1.5.7 keeps private) once enough native memory was freed since the last time.
 *
 * <p>Why: glibc serves blocks below its mmap threshold (which it raises up to 32 MiB after the
 * first large free) from arenas, one per thread that allocates, and keeps what is freed there.
 * A training step frees and allocates hundreds of feature, map and workspace blocks of changing
 * sizes on two threads, so freed memory piled up in the arenas, resident but unused: measured
 * 0.14 GB of the R=512 step's peak RSS. Trimming after every {@link #EVERY} freed bytes keeps the
 * process near what the ledger counts, for a few hundred microsecond-scale calls per step.
 *
 * <p>The counter is the only process-wide state here, on purpose: the allocator it tracks is
 * process-wide too. It changes no result. Where the binding is missing it does nothing (logged
 * once at DEBUG).
 */
public final class NativeTrim {
  /** Freed bytes between two trims: system property {@code jsparse.trimEveryMiB} (default 32; 0 turns trimming off). */
  static final long EVERY = Long.getLong("jsparse.trimEveryMiB", 32L) << 20;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NativeTrim.class);
  private static final Method TRIM = find();
  private static final AtomicLong FREED = new AtomicLong();

  private NativeTrim() {}

  private static Method find() {
    try {
      Method m = org.bytedeco.javacpp.Pointer.class.getDeclaredMethod("trimMemory");
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // LinkageError: JavaCPP is not on the class path at all (the CUDA path runs without ND4J's natives)
      LOG.debug("malloc_trim is not reachable through JavaCPP ({}); freed native memory stays with the allocator",
          e.toString());
      return null;
    }
  }

  /** Notes {@code bytes} just freed; trims once {@link #EVERY} bytes have been freed since the last trim. */
  public static void freed(long bytes) {
    if (TRIM != null && EVERY > 0 && FREED.addAndGet(bytes) >= EVERY) {
      FREED.set(0);
      now();
    }
  }

  /** Trims now. */
  public static void now() {
    if (TRIM == null) {
      return;
    }
    try {
      TRIM.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.debug("malloc_trim failed: {}", e.toString());
    }
  }
}
