package org.jsparse.core.internal;

import java.lang.ref.Cleaner;
import sun.misc.Unsafe;

/**
 * A fixed-length int array in native memory, off the Java heap: the storage of kernel-map pairs,
 * so that the largest index structures of a training step are neither scanned by the garbage
 * collector nor make the heap grow. Freed by {@link #close} (idempotent); a cleaner frees an array
 * nobody closed once it is unreachable. Element access is unchecked: callers stay in
 * {@code [0, length)} and check {@link #isClosed} at op entry, not per element.
 */
public final class NativeInts implements AutoCloseable {
  private static final Unsafe UNSAFE = NativeMemory.UNSAFE;
  private static final long INT_BASE = UNSAFE.arrayBaseOffset(int[].class);

  private final long address;
  private final int length;
  private final Cleaner.Cleanable cleanable;
  /** For a view: the array that owns the memory. */
  private final NativeInts owner;
  private volatile boolean closed;

  /** An uninitialized array of {@code length} ints. */
  public NativeInts(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    this.length = length;
    long[] at = new long[1];
    this.cleanable = NativeMemory.allocate(this, 4L * length, at);
    this.address = at[0];
    this.owner = null;
  }

  private NativeInts(NativeInts owner, long address, int length) {
    this.owner = owner;
    this.address = address;
    this.length = length;
    this.cleanable = null;
  }

  /**
   * A view in which index {@code i} reads this array's element {@code i - base}: lets a kernel
   * walk a second array with the pair numbers of the whole map. Owns nothing; valid while this
   * array is open.
   */
  public NativeInts rebased(long base) {
    NativeInts root = owner == null ? this : owner;
    return new NativeInts(root, address - 4 * base, length);
  }

  /** A native copy of {@code values}. */
  public static NativeInts of(int[] values) {
    NativeInts a = new NativeInts(values.length);
    a.copyFrom(values, 0, 0, values.length);
    return a;
  }

  public int length() {
    return length;
  }

  /** Bytes held. */
  public long bytes() {
    return 4L * length;
  }

  public int get(long i) {
    return UNSAFE.getInt(address + 4 * i);
  }

  public void set(long i, int v) {
    UNSAFE.putInt(address + 4 * i, v);
  }

  /** Sets every element to {@code v}. */
  public void fill(int v) {
    if (v == -1 || v == 0) {
      UNSAFE.setMemory(address, 4L * length, (byte) v);
    } else {
      for (long i = 0; i < length; i++) {
        set(i, v);
      }
    }
  }

  /** Copies {@code n} ints of {@code src} from {@code srcPos} to this array at {@code dstPos}. */
  public void copyFrom(int[] src, int srcPos, long dstPos, int n) {
    if (srcPos < 0 || n < 0 || srcPos + n > src.length || dstPos < 0 || dstPos + n > length) {
      throw new IndexOutOfBoundsException("copy of " + n + " ints out of range");
    }
    UNSAFE.copyMemory(src, INT_BASE + 4L * srcPos, null, address + 4 * dstPos, 4L * n);
  }

  /** Copies {@code n} ints from {@code srcPos} of this array into {@code dst} at {@code dstPos}. */
  public void copyTo(long srcPos, int[] dst, int dstPos, int n) {
    if (srcPos < 0 || n < 0 || dstPos < 0 || dstPos + n > dst.length) {
      throw new IndexOutOfBoundsException("copy of " + n + " ints out of range");
    }
    UNSAFE.copyMemory(null, address + 4 * srcPos, dst, INT_BASE + 4L * dstPos, 4L * n);
  }

  /** Copies {@code n} ints of another native array from {@code srcPos} to this array at {@code dstPos}. */
  public void copyFrom(NativeInts src, long srcPos, long dstPos, long n) {
    if (srcPos < 0 || n < 0 || srcPos + n > src.length || dstPos < 0 || dstPos + n > length) {
      throw new IndexOutOfBoundsException("copy of " + n + " ints out of range");
    }
    UNSAFE.copyMemory(src.address + 4 * srcPos, address + 4 * dstPos, 4 * n);
  }

  /** Address of element 0, for kernels that walk the array themselves. */
  public long address() {
    return address;
  }

  public boolean isClosed() {
    return owner == null ? closed : owner.isClosed();
  }

  /** Fails when the array was freed. */
  public void checkOpen() {
    if (isClosed()) {
      throw new IllegalStateException(
          "this kernel map was freed (its CoordinateManager was closed or evicted it); plan the op again");
    }
  }

  @Override
  public synchronized void close() {
    if (owner == null && !closed) {
      closed = true;
      cleanable.clean();
    }
  }
}
