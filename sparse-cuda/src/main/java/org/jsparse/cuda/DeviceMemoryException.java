package org.jsparse.cuda;

/**
 * A device allocation that did not fit, after the backend gave every cached block back and tried
 * again. Says how much was asked, how much this backend holds (in use and cached) and how much the
 * device had free; nothing was allocated, so the manager and its tensors stay usable (free some, or
 * use a smaller batch, and retry).
 */
public final class DeviceMemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long requestedBytes;
  private final long inUseBytes;
  private final long freeBytes;

  DeviceMemoryException(String device, long requestedBytes, long inUseBytes, long cachedBytes, long freeBytes,
      long totalBytes) {
    super(String.format("out of device memory on %s: asked for %.1f MiB; this backend holds %.1f MiB in use "
            + "(+%.1f MiB cached, given back before this retry), the device has %.1f MiB free of %.1f MiB; "
            + "close tensors you no longer need or use a smaller batch", device, mib(requestedBytes), mib(inUseBytes),
        mib(cachedBytes), mib(freeBytes), mib(totalBytes)));
    this.requestedBytes = requestedBytes;
    this.inUseBytes = inUseBytes;
    this.freeBytes = freeBytes;
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  /** Bytes the failed allocation asked for. */
  public long requestedBytes() {
    return requestedBytes;
  }

  /** Bytes this backend had in use when it failed. */
  public long inUseBytes() {
    return inUseBytes;
  }

  /** Bytes the device reported free after the retry. */
  public long freeBytes() {
    return freeBytes;
  }
}
