/**
 * The CUDA backend: {@code Backends.get("cuda", 0)} or {@code new CoordinateManager(3,
 * Backends.get("cuda", 0))}, found through {@link java.util.ServiceLoader} so that sparse-core does
 * not depend on this module. JCuda's driver API only (the NVIDIA driver, no CUDA toolkit, is
 * needed at run time); the kernels are {@code src/main/cuda/*.cu}, shipped compiled in the jar.
 * Public here: the provider and {@link org.jsparse.cuda.DeviceMemoryException}; the backend itself
 * is reached through {@link org.jsparse.core.backend.Backend}.
 */
package org.jsparse.cuda;
