package org.jsparse.core.kmap;

/**
 * A new coordinate map made of chosen rows of another.
 *
 * @param key the new map
 * @param sourceRows for each row of the new map, its row in the source map
 */
public record RowSelection(CoordinateMapKey key, int[] sourceRows) {}
