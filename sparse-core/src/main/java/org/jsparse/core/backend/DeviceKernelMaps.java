package org.jsparse.core.backend;

import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.NeighbourQuery;
import org.jsparse.core.memory.MemoryLedger;

/**
 * A backend's own kernel-map builder (a GPU's coordinate hash and neighbour search): the
 * {@link org.jsparse.core.kmap.CoordinateManager} of a backend that offers one ({@link Backend#kernelMaps()})
 * asks it for every map between packed coordinate tables instead of building on the host, then
 * keeps a host copy in the form it stores maps in (half of a mirrored map) and attaches the device
 * pairs to it, so the ops on the device never upload them.
 */
public interface DeviceKernelMaps {
  /**
   * The map a query describes, built on the device; or null to decline (the manager then builds it
   * on the host).
   *
   * @param ledger where the build's workspace and the device pairs are counted
   */
  DeviceMap build(NeighbourQuery query, MemoryLedger ledger);

  /**
   * The rows a strided map keeps, found on the device: of packed {@code keys} ({@code dimension}
   * axes of {@code axisBits} bits), the rows whose key floored to a multiple of {@code stride} on
   * every axis appears there first, in row order. Null to decline, and where a floor leaves the
   * packable range (the manager then builds on the host, which refuses with the packer's message).
   *
   * @param ledger where the build's workspace is counted
   */
  default int[] stridedRows(long[] keys, int dimension, int axisBits, int[] stride, MemoryLedger ledger) {
    return null;
  }

  /** Pairs on the device: offset k's are {@code [starts()[k], starts()[k+1])}, ordered by output row. */
  interface DeviceMap extends AutoCloseable {
    /** Per offset, the first pair; {@code K + 1} values ending with the pair count. */
    int[] starts();

    /** Copies pairs {@code [from, to)} to the host: input rows into {@code ins}, output rows into {@code outs}, from index 0. */
    void download(int from, int to, int[] ins, int[] outs);

    /** Makes these pairs the device copy of {@code host} (released with it); {@link #close} then keeps them. */
    void attach(KernelMap host);

    /** Frees the device pairs unless they were attached. */
    @Override
    void close();
  }
}
