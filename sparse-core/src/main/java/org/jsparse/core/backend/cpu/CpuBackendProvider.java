package org.jsparse.core.backend.cpu;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.BackendProvider;

/** Registers the CPU backend with {@link org.jsparse.core.backend.Backends}. */
public final class CpuBackendProvider implements BackendProvider {
  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public Backend create(int index) {
    if (index != 0) {
      throw new IllegalArgumentException("there is one CPU backend, index 0; got " + index);
    }
    return new CpuBackend();
  }
}
