package org.jsparse.core.kmap;

import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;

/**
 * One coordinate map of a manager: the coordinate table (packed keys in native memory), its hash (packed key to row; the
 * manager keeps the hashes of the most recently used maps only) and the map it was derived from (for finding a transposed conv's target). Package-private state; the
 * manager hands out only keys and coordinates.
 */
final class CoordinateMap {
  final CoordinateMapKey key;
  /** The rows; replaced by their wide copy when the manager widens its keys (under its lock). */
  CoordinateTable table;
  /** Coordinate to row; null while dropped (the manager rebuilds it from the coordinates on demand). */
  SiteHash hash;
  Allocation hashAllocation;
  final CoordinateMapKey derivedFrom;
  Allocation allocation;

  CoordinateMap(CoordinateMapKey key, CoordinateTable table, SiteHash hash,
      CoordinateMapKey derivedFrom, Allocation allocation, Allocation hashAllocation) {
    this.key = key;
    this.table = table;
    this.hash = hash;
    this.derivedFrom = derivedFrom;
    this.allocation = allocation;
    this.hashAllocation = hashAllocation;
  }

  /** Drops the hash table and gives its bytes back. */
  void dropHash() {
    if (hashAllocation != null) {
      hashAllocation.close();
    }
    if (hash != null) {
      hash.close();
    }
    hash = null;
    hashAllocation = null;
  }

  int size() {
    return table.size();
  }

  /**
   * Replaces a packed table by its wide copy, counted in {@code ledger} in place of the packed one;
   * the hash is dropped (rebuilt wide on demand). Row numbers stay, so kernel maps stay valid.
   */
  void widen(MemoryLedger ledger) {
    if (table.isWide()) {
      return;
    }
    dropHash();
    CoordinateTable wide = table.widened();
    Allocation a = ledger.acquire(MemoryCategory.COORDINATES, wide.bytes(), "coordinate table");
    allocation.close();
    table.close();
    table = wide;
    allocation = a;
  }

  /** Gives the table and the hash back. */
  void close() {
    allocation.close();
    table.close();
    dropHash();
  }
}
