package org.jsparse.core.kmap;

import java.util.LinkedHashMap;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;

/**
 * The coordinate hash tables a manager keeps: those of the {@link #KEPT} most recently used maps.
 * A hash costs 1.5x its map's coordinate table and is needed only while kernel maps are built from
 * that map, so older ones are dropped and rebuilt from the coordinates when a map is an op input
 * again (logged at DEBUG). Not thread-safe: the manager calls it under its own lock.
 */
final class RecentHashes {
  /** Hash tables kept at once. */
  static final int KEPT = 2;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecentHashes.class);

  private final MemoryLedger ledger;
  private final LinkedHashMap<CoordinateMapKey, CoordinateMap> hashed = new LinkedHashMap<>(16, 0.75f, true);

  RecentHashes(MemoryLedger ledger) {
    this.ledger = ledger;
  }

  /** Marks {@code m}'s hash as just used, dropping the least recently used beyond {@link #KEPT}. */
  void keep(CoordinateMap m) {
    hashed.put(m.key, m);
    var it = hashed.entrySet().iterator();
    while (hashed.size() > KEPT && it.hasNext()) {
      it.next().getValue().dropHash();
      it.remove();
    }
  }

  /** {@code m} with its hash table present (rebuilt and counted when it was dropped). */
  CoordinateMap ensure(CoordinateMap m) {
    if (m.hash == null) {
      LOG.debug("rebuilding the hash of coordinate map {} ({} rows)", m.key, m.size());
      m.hash = SiteHash.ofUnique(m.table);
      m.hashAllocation = ledger.acquire(MemoryCategory.COORDINATES, m.hash.bytes(), "coordinate hash");
    }
    keep(m);
    return m;
  }

  /** Drops {@code m}'s hash table now (rebuilt on demand). */
  void drop(CoordinateMap m) {
    hashed.remove(m.key);
    m.dropHash();
  }

  /** Drops every kept hash table. */
  void dropAll() {
    hashed.values().forEach(CoordinateMap::dropHash);
    hashed.clear();
  }
}
