package org.jsparse.core.ops;

import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMap;

/**
 * What a kernel-map op (convolution or pooling) resolved before computing: input and output maps
 * and the kernel map between them. Backward passes take the plan, so they reuse the map.
 *
 * @param manager the manager all three belong to
 * @param in input coordinate map
 * @param out output coordinate map
 * @param kernelMap the pairs
 */
public record OpPlan(CoordinateManager manager, CoordinateMapKey in, CoordinateMapKey out, KernelMap kernelMap) {}
