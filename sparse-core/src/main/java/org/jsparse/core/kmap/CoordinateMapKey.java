package org.jsparse.core.kmap;

import java.util.Objects;
import org.jsparse.core.coords.TensorStride;

/**
 * Names one coordinate map inside a {@link CoordinateManager}: its tensor stride plus a tag that
 * tells apart maps at the same stride (input, strided, pruned, generated, union...). Keys of two
 * managers are never equal, even with the same stride and tag, so a key cannot reach into the
 * wrong manager.
 */
public final class CoordinateMapKey {
  private final TensorStride stride;
  private final String tag;
  private final CoordinateManager owner;

  CoordinateMapKey(TensorStride stride, String tag, CoordinateManager owner) {
    this.stride = stride;
    this.tag = tag;
    this.owner = owner;
  }

  /** The tensor stride of every coordinate in the map. */
  public TensorStride stride() {
    return stride;
  }

  /** Unique within its manager. */
  public String tag() {
    return tag;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CoordinateMapKey k && k.owner == owner && k.stride.equals(stride) && k.tag.equals(tag);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stride, tag, System.identityHashCode(owner));
  }

  @Override
  public String toString() {
    return tag + "@" + stride;
  }
}
