package org.jsparse.core.kmap;

import org.jsparse.core.internal.CoordinateHash;
import org.jsparse.core.internal.RowHash;

/**
 * The hash of one coordinate map, in its table's layout: packed key to row ({@link CoordinateHash})
 * for a packed table, coordinate row to row ({@link RowHash}) for a wide one.
 */
final class SiteHash implements AutoCloseable {
  private final CoordinateHash packed;
  private final RowHash wide;

  private SiteHash(CoordinateHash packed, RowHash wide) {
    this.packed = packed;
    this.wide = wide;
  }

  static SiteHash of(CoordinateHash packed) {
    return new SiteHash(packed, null);
  }

  static SiteHash of(RowHash wide) {
    return new SiteHash(null, wide);
  }

  /** A hash of every row of {@code table} (unique by construction). */
  static SiteHash ofUnique(CoordinateTable table) {
    if (table.isWide()) {
      return of(RowHash.ofUnique(table.wideRows()));
    }
    CoordinateHash hash = new CoordinateHash(table.size());
    for (int r = 0; r < table.size(); r++) {
      hash.putIfAbsent(table.key(r), r);
    }
    return of(hash);
  }

  /** The packed-key hash (packed tables only). */
  CoordinateHash packed() {
    return packed;
  }

  /** The row hash (wide tables only). */
  RowHash wide() {
    return wide;
  }

  /** Slots of the table: its size is fixed by the rows it was made for. */
  int capacity() {
    return packed != null ? packed.capacity() : wide.capacity();
  }

  long bytes() {
    return packed != null ? packed.bytes() : wide.bytes();
  }

  void checkOpen() {
    if (packed != null) {
      packed.checkOpen();
    } else {
      wide.checkOpen();
    }
  }

  @Override
  public void close() {
    if (packed != null) {
      packed.close();
    } else {
      wide.close();
    }
  }
}
