package org.jsparse.core.kmap;

import org.jsparse.core.coords.CoordinateHash;
import org.jsparse.core.coords.CoordinatePacker;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.memory.Allocation;

/**
 * One coordinate map of a manager: the coordinate table, its hash (packed key to row; the
 * manager keeps the hashes of the most recently used maps only) and the map it was derived from (for finding a transposed conv's target). Package-private state; the
 * manager hands out only keys and coordinates.
 */
final class CoordinateMap {
  final CoordinateMapKey key;
  final Coordinates coordinates;
  /** Packed key to row; null while dropped (the manager rebuilds it from the coordinates on demand). */
  CoordinateHash hash;
  Allocation hashAllocation;
  final CoordinateMapKey derivedFrom;
  final Allocation allocation;

  CoordinateMap(CoordinateMapKey key, Coordinates coordinates, CoordinateHash hash,
      CoordinateMapKey derivedFrom, Allocation allocation, Allocation hashAllocation) {
    this.key = key;
    this.coordinates = coordinates;
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
    return coordinates.size();
  }

  /**
   * Hashes rows that the caller guarantees are unique and in range (made by the library).
   */
  static CoordinateHash hashUnique(Coordinates coords, CoordinatePacker packer) {
    CoordinateHash hash = new CoordinateHash(coords.size());
    int[] flat = coords.sharedFlatView();
    for (int r = 0; r < coords.size(); r++) {
      hash.putIfAbsent(packer.pack(flat, r), r);
    }
    return hash;
  }
}
