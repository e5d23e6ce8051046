package org.jsparse.core.kmap;

import org.jsparse.core.coords.TensorStride;

/**
 * Names one coordinate map inside a {@link CoordinateManager}: its tensor stride plus a tag that
 * tells apart maps at the same stride (input, strided, pruned, generated, union...).
 *
 * @param stride the tensor stride of every coordinate in the map
 * @param tag unique within its manager
 */
public record CoordinateMapKey(TensorStride stride, String tag) {
  @Override
  public String toString() {
    return tag + "@" + stride;
  }
}
