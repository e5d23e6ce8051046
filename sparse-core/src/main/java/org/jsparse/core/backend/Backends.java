package org.jsparse.core.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds backends through {@link ServiceLoader}: {@code Backends.cpu()} always works;
 * {@code Backends.get("cuda", 0)} works when sparse-cuda is on the class path and a GPU is found.
 * Every call makes a new backend that the caller owns and closes (no shared state).
 */
public final class Backends {
  private Backends() {}

  /** A new CPU backend. */
  public static Backend cpu() {
    return get("cpu", 0);
  }

  /** A new backend of device family {@code name}, device {@code index}. */
  public static Backend get(String name, int index) {
    List<String> found = new ArrayList<>();
    for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
      found.add(p.name() + (p.isAvailable() ? "" : " (not available here)"));
      if (p.name().equals(name)) {
        if (!p.isAvailable()) {
          throw new IllegalStateException("the " + name + " backend is on the class path but cannot run here "
              + "(no device or driver found); use Backends.cpu()");
        }
        return p.create(index);
      }
    }
    throw new IllegalArgumentException("no backend named '" + name + "' on the class path (found: " + found
        + "); add the module that provides it (sparse-cuda for 'cuda') as a dependency");
  }
}
