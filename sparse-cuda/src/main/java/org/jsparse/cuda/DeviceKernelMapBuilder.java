package org.jsparse.cuda;

import org.jsparse.core.backend.DeviceKernelMaps;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.NeighbourQuery;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.cuda.DeviceMemory.DeviceArray;
import org.jsparse.cuda.DeviceMemory.DevicePairs;

/**
 * Kernel maps built on the device (coords.cu): the input keys into an open-addressing hash, every
 * (offset, output) looked up into a neighbour table, chunk counts scanned, the table compacted into
 * pairs grouped by offset and ordered by output row, the host builder's order. Deterministic: no
 * position depends on which thread ran first. The launch sequence is the one
 * {@code src/test/cpp/kernel_map_emulation.cpp} runs on the CPU; strided rows come from the same
 * hash and compaction ({@code strided_emulation.cpp}). Each call takes the backend's lock and makes
 * its context current: the backend hands this builder out as its {@link DeviceKernelMaps}.
 */
final class DeviceKernelMapBuilder implements DeviceKernelMaps {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeviceKernelMapBuilder.class);
  /** {@code MAP_THREADS} and {@code MAP_CHUNK} of coords.cu. */
  private static final int SCAN_THREADS = 256;
  private static final int CHUNK = 1024;

  private final CudaBackend backend;
  private final Launcher launcher;
  private final DeviceMemory memory;

  DeviceKernelMapBuilder(CudaBackend backend, Launcher launcher, DeviceMemory memory) {
    this.backend = backend;
    this.launcher = launcher;
    this.memory = memory;
  }

  /** Slots of the hash of {@code rows} keys: a power of two, at least twice the rows (a probe always ends). */
  static long hashCapacity(int rows) {
    long capacity = 16;
    while (capacity < 2L * rows) {
      capacity <<= 1;
    }
    return capacity;
  }

  /** The pairs of a query, or null when its neighbour table would pass 2^31 entries (the host builds those). */
  @Override
  public DeviceMap build(NeighbourQuery q, MemoryLedger ledger) {
    int nIn = q.inRows();
    int nOut = q.outRows();
    int volume = q.volume();
    if ((long) nOut * volume > Integer.MAX_VALUE) {
      LOG.debug("kernel map of {} outputs x {} offsets passes 2^31 neighbour-table entries: built on the host", nOut, volume);
      return null;
    }
    long capacity = hashCapacity(nIn);
    long mask = capacity - 1;
    Compacted pairs;
    synchronized (backend) {
      backend.enter();
      try (DeviceArray inKeys = memory.longs(q.inKeys(), ledger, "kernel map keys");
          DeviceArray outKeys = q.outKeys() == q.inKeys() ? null : memory.longs(q.outKeys(), ledger, "kernel map keys");
          DeviceArray slots = memory.filledLongs(capacity, (byte) 0xFF, ledger, "coordinate hash");
          DeviceArray rows = memory.filledInts(capacity, Integer.MAX_VALUE, ledger, "coordinate hash");
          DeviceArray deltas = memory.longs(q.deltas(), null, "kernel map offsets");
          DeviceArray axisOffsets = memory.ints(q.axisOffsets(), null, "kernel map offsets");
          DeviceArray table = memory.ints((long) nOut * volume, ledger, "kernel map neighbours")) {
        DeviceArray outputKeys = outKeys == null ? inKeys : outKeys;
        launcher.gridStride(Kernel.HASH_INSERT, false, nIn, nIn, inKeys.at(0), mask, slots.at(0), rows.at(0));
        launcher.gridStride(Kernel.MAP_NEIGHBOURS, false, (long) nOut * volume, nOut, outputKeys.at(0), volume,
            deltas.at(0), axisOffsets.at(0), q.dimension(), q.axisBits(), mask, slots.at(0), rows.at(0), table.at(0));
        pairs = compact(table, nOut, volume);
      }
    }
    int[] offsetStart = new int[volume + 1];
    for (int k = 0; k < volume; k++) {
      offsetStart[k] = pairs.chunks() > 0 ? pairs.chunkStarts()[k * pairs.chunks()] : 0;
    }
    offsetStart[volume] = pairs.chunkStarts()[pairs.chunks() * volume];
    return new Built(offsetStart, memory.new DevicePairs(offsetStart, pairs.ins(), pairs.outs(), ledger));
  }

  /**
   * The rows a strided map keeps (coords.cu: floor_keys, hash_insert, first_appearances, then the
   * one-offset compaction), or null where a floor leaves the packable range.
   */
  @Override
  public int[] stridedRows(long[] keys, int dimension, int axisBits, int[] stride, MemoryLedger ledger) {
    int n = keys.length;
    long capacity = hashCapacity(n);
    long mask = capacity - 1;
    int[] outside = {Integer.MAX_VALUE};
    synchronized (backend) {
      backend.enter();
      try (DeviceArray in = memory.longs(keys, ledger, "strided keys");
          DeviceArray floored = memory.longs((long) n, ledger, "strided keys");
          DeviceArray strides = memory.ints(stride, null, "strided keys");
          DeviceArray flag = memory.ints(outside, null, "strided keys");
          DeviceArray slots = memory.filledLongs(capacity, (byte) 0xFF, ledger, "coordinate hash");
          DeviceArray rows = memory.filledInts(capacity, Integer.MAX_VALUE, ledger, "coordinate hash");
          DeviceArray table = memory.ints((long) n, ledger, "strided rows")) {
        launcher.gridStride(Kernel.FLOOR_KEYS, false, n, n, in.at(0), dimension, axisBits, strides.at(0),
            floored.at(0), flag.at(0));
        memory.read(flag, outside);
        if (outside[0] != Integer.MAX_VALUE) {
          return null;
        }
        launcher.gridStride(Kernel.HASH_INSERT, false, n, n, floored.at(0), mask, slots.at(0), rows.at(0));
        launcher.gridStride(Kernel.FIRST_APPEARANCES, false, n, n, floored.at(0), mask, slots.at(0), rows.at(0),
            table.at(0));
        Compacted kept = compact(table, n, 1);
        try (DeviceArray ins = kept.ins(); DeviceArray outs = kept.outs()) {
          int[] result = new int[kept.chunkStarts()[kept.chunks()]];
          memory.read(outs, result);
          return result;
        }
      }
    }
  }

  /**
   * A neighbour table's entries other than -1, offset by offset and in output order within one:
   * {@code ins} the entries, {@code outs} their outputs (the caller owns both); {@code chunkStarts}
   * the scanned counts of every (offset, chunk of outputs), ending with the total.
   */
  private record Compacted(int chunks, int[] chunkStarts, DeviceArray ins, DeviceArray outs) {}

  /** Chunk counts, their exclusive scan and the compaction of {@code table} ({@code volume} x {@code nOut}). */
  private Compacted compact(DeviceArray table, int nOut, int volume) {
    int chunks = (nOut + CHUNK - 1) / CHUNK;
    int counts = chunks * volume;
    int[] chunkStarts = new int[counts + 1];
    try (DeviceArray starts = memory.ints(counts + 1L, null, "kernel map counts")) {
      if (chunks > 0) {
        launcher.launch(Kernel.MAP_CHUNK_COUNTS, false, chunks, volume, SCAN_THREADS, 1, 0, nOut, table.at(0),
            starts.at(0));
      }
      launcher.launch(Kernel.EXCLUSIVE_SCAN, false, 1, 1, SCAN_THREADS, 1, 0, counts, starts.at(0));
      memory.read(starts, chunkStarts);
      int total = chunkStarts[counts];
      DeviceArray ins = memory.ints((long) total, null, "kernel map pairs");
      DeviceArray outs = memory.ints((long) total, null, "kernel map pairs");
      try {
        if (chunks > 0) {
          launcher.launch(Kernel.MAP_COMPACT, false, chunks, volume, SCAN_THREADS, 1, 0, nOut, table.at(0),
              starts.at(0), ins.at(0), outs.at(0));
        }
      } catch (RuntimeException e) {
        ins.close();
        outs.close();
        throw e;
      }
      return new Compacted(chunks, chunkStarts, ins, outs);
    }
  }

  /** Built pairs, released on close until they are attached to their host map. */
  private final class Built implements DeviceMap {
    private final int[] offsetStart;
    private final DevicePairs pairs;
    private boolean attached;

    Built(int[] offsetStart, DevicePairs pairs) {
      this.offsetStart = offsetStart;
      this.pairs = pairs;
    }

    @Override
    public int[] starts() {
      return offsetStart.clone();
    }

    @Override
    public void download(int from, int to, int[] ins, int[] outs) {
      if (from < 0 || to > offsetStart[offsetStart.length - 1] || from > to || ins.length < to - from
          || outs.length < to - from) {
        throw new IllegalArgumentException("pairs [" + from + ", " + to + ") of " + offsetStart[offsetStart.length - 1]
            + " into arrays of " + ins.length + " and " + outs.length);
      }
      backend.locked(() -> {
        memory.read(pairs.ins, from, ins, to - from);
        memory.read(pairs.outs, from, outs, to - from);
      });
    }

    @Override
    public void attach(KernelMap host) {
      memory.attach(host, pairs);
      attached = true;
    }

    @Override
    public void close() {
      if (!attached) {
        pairs.release();
      }
    }
  }
}
