package org.jsparse.core.internal;

import java.lang.ref.Cleaner;
import java.lang.reflect.Field;
import sun.misc.Unsafe;

/**
 * The library's one door to raw native memory: allocation, freeing and unchecked access by
 * address, for the structures that must live off the Java heap (kernel-map pairs, coordinate
 * hashes, in-place views of ND4J buffers). Not for user code.
 */
public final class NativeMemory {
  /** Raw access; every caller checks its own bounds. */
  public static final Unsafe UNSAFE = unsafe();
  /** Frees what an owner forgot to close once the owner is unreachable (a safety net, not the plan). */
  static final Cleaner CLEANER = Cleaner.create();

  private NativeMemory() {}

  private static Unsafe unsafe() {
    try {
      Field f = Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return (Unsafe) f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Allocates {@code bytes} (at least 4) and registers {@code owner} to free them if it is never closed. */
  public static Cleaner.Cleanable allocate(Object owner, long bytes, long[] addressOut) {
    long size = Math.max(4L, bytes);
    long address = UNSAFE.allocateMemory(size);
    addressOut[0] = address;
    return CLEANER.register(owner, new Free(address, size));
  }

  private record Free(long address, long bytes) implements Runnable {
    @Override
    public void run() {
      UNSAFE.freeMemory(address);
      NativeTrim.freed(bytes);
    }
  }
}
