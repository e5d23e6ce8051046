package org.jsparse.core.kmap;

/**
 * The union of several coordinate maps.
 *
 * @param key the union map
 * @param rowMaps {@code rowMaps[i][r]} is the union row of row r of input map i; {@code rowMaps[0]} is
 *     null when the union is the first map itself (every other map's coordinates are in it)
 */
public record Union(CoordinateMapKey key, int[][] rowMaps) {}
