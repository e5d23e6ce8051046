package org.jsparse.core.kmap;

import org.jsparse.core.backend.DeviceKernelMaps;
import org.jsparse.core.internal.CoordinatePacker;
import org.jsparse.core.internal.NativeInts;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;

/**
 * Kernel maps a backend builds on its device ({@link DeviceKernelMaps}): the manager's keys go
 * there, the pairs come back into the host form the manager stores (offsets 0..K/2 of a mirrored
 * map, as {@link SortedKeyMerge} keeps them; every offset otherwise) and the device keeps its full
 * copy, attached to that host map. No host hash is needed. Wide tables stay on the host builder.
 */
final class DeviceBuiltMaps {
  private DeviceBuiltMaps() {}

  /** The map built by {@code device}, or null where there is none, a table is wide, or it declines. */
  static KernelMap build(DeviceKernelMaps device, CoordinatePacker packer, CoordinateTable in, CoordinateTable out,
      KernelMapGeometry geometry, MemoryLedger ledger) {
    if (device == null || in.isWide() || out.isWide()) {
      return null;
    }
    NeighbourQuery query = NeighbourQuery.of(packer, in, out, geometry.offsets(), geometry.sign());
    boolean mirrored = KernelMapBuilder.needsNoHash(in, out, geometry.offsets());
    try (Allocation keys = ledger.acquire(MemoryCategory.WORKSPACE, query.bytes(), "kernel map keys");
        DeviceKernelMaps.DeviceMap built = device.build(query, ledger)) {
      if (built == null) {
        return null;
      }
      int[] start = built.starts();
      int volume = query.volume();
      if (start.length != volume + 1 || start[0] != 0) {
        throw new IllegalStateException("a device kernel map has " + (start.length - 1) + " offsets, asked " + volume);
      }
      for (int k = 0; k < volume; k++) {
        if (start[k + 1] < start[k]) {
          throw new IllegalStateException("a device kernel map's offset starts fall at offset " + k);
        }
      }
      int stored = mirrored ? start[volume / 2 + 1] : start[volume];
      int[] ins = new int[stored];
      int[] outs = new int[stored];
      built.download(0, stored, ins, outs);
      // the host's kernels index rows without bounds checks: a device's rows are checked like a user's
      UserPairs.checkedRows(ins, in.size(), "input");
      UserPairs.checkedRows(outs, out.size(), "output");
      KernelMap host = mirrored ? KernelMap.compact(start, NativeInts.of(ins), NativeInts.of(outs), in.size())
          : new KernelMap(start, NativeInts.of(ins), NativeInts.of(outs), in.size(), out.size(), false, true);
      built.attach(host);
      return host;
    }
  }
}
