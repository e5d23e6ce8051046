package org.jsparse.core.backend.cpu;

import sun.misc.Unsafe;

/**
 * Raw access to native memory by address: the element loops of the CPU kernels read and write
 * ND4J's feature buffers in place through it, so no op copies a tensor to the Java heap. The JIT
 * compiles each access to one load or store. Callers check bounds; nothing here does.
 */
final class OffHeap {
  private static final Unsafe UNSAFE = org.jsparse.core.internal.NativeMemory.UNSAFE;

  private OffHeap() {}

  static float getFloat(long address) {
    return UNSAFE.getFloat(address);
  }

  static void putFloat(long address, float v) {
    UNSAFE.putFloat(address, v);
  }

  static double getDouble(long address) {
    return UNSAFE.getDouble(address);
  }

  static void putDouble(long address, double v) {
    UNSAFE.putDouble(address, v);
  }

  static void copy(long from, long to, long bytes) {
    UNSAFE.copyMemory(from, to, bytes);
  }

  static void zero(long address, long bytes) {
    UNSAFE.setMemory(address, bytes, (byte) 0);
  }
}
