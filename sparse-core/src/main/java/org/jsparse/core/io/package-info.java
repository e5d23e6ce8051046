/**
 * Files: sparse tensors to and from NumPy's {@code .npz}, {@code .npy} arrays, and the CT volumes
 * of InVesalius's {@code .inv3} archives (the real data of the examples and benchmarks).
 */
package org.jsparse.core.io;
