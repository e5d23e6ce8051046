package org.jsparse.core.backend.cpu;

import java.lang.reflect.Method;

/**
 * Asks the C allocator to hand its free pages back to the system ({@code malloc_trim(0)}, through
 * JavaCPP's own binding, which 1.5.7 keeps private). Freed feature and kernel-map blocks smaller
 * than glibc's mmap threshold stay in the allocator's arenas otherwise, resident but unused, after a
 * manager closes. Best effort: where the binding is missing it does nothing (logged once at DEBUG).
 */
final class NativeTrim {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NativeTrim.class);
  private static final Method TRIM = find();

  private NativeTrim() {}

  private static Method find() {
    try {
      Method m = org.bytedeco.javacpp.Pointer.class.getDeclaredMethod("trimMemory");
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("malloc_trim is not reachable through JavaCPP ({}); freed native memory stays with the allocator", e.toString());
      return null;
    }
  }

  static void run() {
    if (TRIM == null) {
      return;
    }
    try {
      TRIM.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("malloc_trim failed: {}", e.toString());
    }
  }
}
