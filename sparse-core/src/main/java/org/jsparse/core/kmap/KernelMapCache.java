package org.jsparse.core.kmap;

import java.util.LinkedHashMap;
import java.util.Locale;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;

/**
 * A manager's bounded cache of kernel maps, least recently used dropped first, every map counted
 * as KERNEL_MAPS while cached. An evicted map stops counting at once; an op plan may still hold it,
 * so its memory goes when the plan does. Not thread-safe: the manager calls it under its own lock.
 */
final class KernelMapCache {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KernelMapCache.class);

  private record Cached(KernelMap map, Allocation allocation) {}

  private final MemoryLedger ledger;
  private final int capacity;
  private final LinkedHashMap<KernelMapKey, Cached> maps = new LinkedHashMap<>(16, 0.75f, true);

  KernelMapCache(MemoryLedger ledger, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("kernel-map cache capacity must be >= 1, got " + capacity);
    }
    this.ledger = ledger;
    this.capacity = capacity;
  }

  /** The cached map for {@code key}, or null. */
  KernelMap get(KernelMapKey key) {
    Cached c = maps.get(key);
    return c == null ? null : c.map;
  }

  /** Caches a map just built, evicting beyond the capacity. */
  void put(KernelMapKey key, KernelMap map) {
    maps.put(key, new Cached(map, ledger.acquire(MemoryCategory.KERNEL_MAPS, map.bytes(),
        "kernel map, " + key.kind().name().toLowerCase(Locale.ROOT))));
    var it = maps.entrySet().iterator();
    while (maps.size() > capacity && it.hasNext()) {
      var e = it.next();
      LOG.debug("kernel-map cache full ({} maps): evicting {}", capacity, e.getKey());
      e.getValue().allocation.close();
      it.remove();
    }
  }

  /** Removes {@code map} if it is the one cached for {@code key} and stops counting it; true when it was. */
  boolean remove(KernelMapKey key, KernelMap map) {
    Cached c = maps.get(key);
    if (c == null || c.map != map) {
      return false;
    }
    maps.remove(key);
    c.allocation.close();
    return true;
  }

  int size() {
    return maps.size();
  }

  int capacity() {
    return capacity;
  }

  long bytes() {
    return maps.values().stream().mapToLong(c -> c.map.bytes()).sum();
  }

  /** Drops and frees every cached map. */
  void clear() {
    maps.values().forEach(c -> {
      c.allocation.close();
      c.map.close();
    });
    maps.clear();
  }
}
