package org.jsparse.core.kmap;

import java.util.Arrays;
import org.jsparse.core.internal.CoordinateHash;
import org.jsparse.core.internal.CoordinatePacker;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.internal.NativeLongs;
import org.jsparse.core.internal.RowHash;
import org.jsparse.core.internal.WideRows;

/**
 * Checks a user's coordinate rows and packs them into a map's key table and hash: every row a
 * multiple of the tensor stride, inside the packable range and unique, each failure naming the row
 * and the fix ({@link #packWide} keeps rows that do not pack). A refused table leaves nothing
 * allocated.
 */
final class UserRows {
  private UserRows() {}

  /** Fails unless every row of {@code coords} is a multiple of the tensor stride on every axis. */
  static void checkStride(Coordinates coords, TensorStride stride) {
    int d = stride.dimension();
    for (int r = 0; r < coords.size(); r++) {
      for (int a = 0; a < d; a++) {
        int v = coords.get(r, a);
        if (Math.floorMod(v, stride.get(a)) != 0) {
          throw new IllegalArgumentException(
              "row " + r + " " + Arrays.toString(coords.row(r)) + " is not a multiple of tensor stride "
                  + stride + " on axis " + a + "; quantize with floor(c / t) * t first");
        }
      }
    }
  }

  /**
   * The packed table and hash of {@code coords} (D and stride already checked).
   *
   * @throws org.jsparse.core.internal.KeyRangeException when a row does not pack (nothing is left allocated)
   */
  static DerivedMaps.Built pack(CoordinatePacker packer, Coordinates coords) {
    NativeLongs keys = new NativeLongs(coords.size());
    CoordinateHash hash = new CoordinateHash(coords.size());
    try {
      for (int r = 0; r < coords.size(); r++) {
        long packed = packer.pack(coords, r);
        keys.set(r, packed);
        int previous = hash.putIfAbsent(packed, r);
        if (previous >= 0) {
          throw duplicate(coords, previous, r);
        }
      }
    } catch (RuntimeException e) {
      hash.close();
      keys.close();
      throw e;
    }
    return new DerivedMaps.Built(new CoordinateTable(packer, keys), SiteHash.of(hash), null, null);
  }

  /** The wide table and hash of {@code coords}: any int32 value, batch indices >= 0 (D and stride already checked). */
  static DerivedMaps.Built packWide(Coordinates coords, int dimension) {
    int n = coords.size();
    WideRows rows = new WideRows(dimension + 1, n);
    RowHash hash = new RowHash(rows, n);
    try {
      int[] flat = coords.toFlatArray();
      for (int r = 0; r < n; r++) {
        if (flat[r * (dimension + 1)] < 0) {
          throw new IllegalArgumentException("batch index " + flat[r * (dimension + 1)] + " at row " + r
              + " is negative; batch indices start at 0");
        }
        int previous = hash.putIfAbsent(flat, r * (dimension + 1));
        if (previous >= 0) {
          throw duplicate(coords, previous, r);
        }
      }
    } catch (RuntimeException e) {
      hash.close();
      rows.close();
      throw e;
    }
    return new DerivedMaps.Built(new CoordinateTable(rows), SiteHash.of(hash), null, null);
  }

  private static IllegalArgumentException duplicate(Coordinates coords, int previous, int r) {
    return new IllegalArgumentException("duplicate coordinate " + Arrays.toString(coords.row(r)) + " at rows " + previous
        + " and " + r + "; merge duplicates first (Quantizer does this and reduces their features)");
  }
}
