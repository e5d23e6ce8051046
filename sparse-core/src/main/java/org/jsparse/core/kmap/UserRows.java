package org.jsparse.core.kmap;

import java.util.Arrays;
import org.jsparse.core.internal.CoordinateHash;
import org.jsparse.core.internal.CoordinatePacker;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.internal.NativeLongs;

/**
 * Checks a user's coordinate rows and packs them into a map's key table and hash: every row a
 * multiple of the tensor stride, inside the packable range and unique, each failure naming the row
 * and the fix. A refused table leaves nothing allocated.
 */
final class UserRows {
  private UserRows() {}

  /** The packed table and hash of {@code coords} (D already checked against the manager's). */
  static DerivedMaps.Built pack(CoordinatePacker packer, Coordinates coords, TensorStride stride) {
    int d = packer.dimension();
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
    NativeLongs keys = new NativeLongs(coords.size());
    CoordinateHash hash = new CoordinateHash(coords.size());
    try {
      for (int r = 0; r < coords.size(); r++) {
        long packed = packer.pack(coords, r);
        keys.set(r, packed);
        int previous = hash.putIfAbsent(packed, r);
        if (previous >= 0) {
          throw new IllegalArgumentException(
              "duplicate coordinate " + Arrays.toString(coords.row(r)) + " at rows " + previous + " and " + r
                  + "; merge duplicates first (Quantizer does this and reduces their features)");
        }
      }
    } catch (RuntimeException e) {
      hash.close();
      keys.close();
      throw e;
    }
    return new DerivedMaps.Built(new CoordinateTable(packer, keys), hash, null, null);
  }
}
