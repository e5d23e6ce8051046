package org.jsparse.nn.autograd;

/**
 * A scope in which ops record nothing (inference): {@code try (NoGrad ng = NoGrad.enter()) {...}}.
 * The scope belongs to the calling thread and nests, and it is restored on close. Autograd keeps
 * thread-local state in two places only: this depth and the open {@link TensorScope}s.
 */
public final class NoGrad implements AutoCloseable {
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  private boolean closed;

  private NoGrad() {
    DEPTH.get()[0]++;
  }

  /** Enters a no-grad scope on this thread. */
  public static NoGrad enter() {
    return new NoGrad();
  }

  /** True inside a no-grad scope on this thread. */
  public static boolean active() {
    return DEPTH.get()[0] > 0;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      DEPTH.get()[0]--;
    }
  }
}
