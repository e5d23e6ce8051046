package org.jsparse.core.internal;

/**
 * A coordinate or batch index outside what a packed 63-bit key holds ({@link CoordinatePacker}).
 * A {@code CoordinateManager} that meets it switches to wide keys and tries again, so users see it
 * only from a packer they use directly.
 */
public final class KeyRangeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public KeyRangeException(String message) {
    super(message);
  }
}
