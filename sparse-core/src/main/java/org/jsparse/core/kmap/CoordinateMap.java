package org.jsparse.core.kmap;

import org.jsparse.core.internal.CoordinateHash;
import org.jsparse.core.memory.Allocation;

/**
 * One coordinate map of a manager: the coordinate table (packed keys in native memory), its hash (packed key to row; the
 * manager keeps the hashes of the most recently used maps only) and the map it was derived from (for finding a transposed conv's target). Package-private state; the
 * manager hands out only keys and coordinates.
 */
final class CoordinateMap {
  final CoordinateMapKey key;
  final CoordinateTable table;
  /** Packed key to row; null while dropped (the manager rebuilds it from the coordinates on demand). */
  CoordinateHash hash;
  Allocation hashAllocation;
  final CoordinateMapKey derivedFrom;
  final Allocation allocation;

  CoordinateMap(CoordinateMapKey key, CoordinateTable table, CoordinateHash hash,
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

  /** Gives the table and the hash back. */
  void close() {
    allocation.close();
    table.close();
    dropHash();
  }

  /** Hashes a table's keys (unique by construction): key to row. */
  static CoordinateHash hashUnique(CoordinateTable table) {
    CoordinateHash hash = new CoordinateHash(table.size());
    for (int r = 0; r < table.size(); r++) {
      hash.putIfAbsent(table.key(r), r);
    }
    return hash;
  }
}
