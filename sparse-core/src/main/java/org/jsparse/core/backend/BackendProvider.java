package org.jsparse.core.backend;

/**
 * Service-provider interface: a device module registers one in
 * {@code META-INF/services/org.jsparse.core.backend.BackendProvider}; {@link Backends} finds it.
 */
public interface BackendProvider {
  /** The device family this provider makes backends for, e.g. {@code "cpu"} or {@code "cuda"}. */
  String name();

  /** True when this machine can run the backend (a GPU and its driver are present, say). */
  boolean isAvailable();

  /** A new backend on device {@code index} of this family. */
  Backend create(int index);
}
