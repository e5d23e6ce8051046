package org.jsparse.core.kmap;

/**
 * The union of several coordinate maps.
 *
 * @param key the union map
 * @param rowMaps {@code rowMaps[i][r]} is the union row of row r of input map i
 */
public record Union(CoordinateMapKey key, int[][] rowMaps) {}
