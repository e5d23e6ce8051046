package org.jsparse.core.kmap;

import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;

/**
 * Everything that changes a kernel map, and so the key of the kernel-map cache: the input and
 * output coordinate maps, the kernel region (sizes, dilation, region type, offsets), the
 * convolution stride and the kind of map (convolution, transposed, pooling or alignment).
 *
 * @param in the map the op reads from
 * @param out the map the op writes to
 * @param region kernel offsets; for ALIGNMENT a 1-offset identity region
 * @param convStride the op's stride per axis (all 1 for submanifold and alignment)
 * @param kind how rows are paired
 */
public record KernelMapKey(
    CoordinateMapKey in, CoordinateMapKey out, KernelRegion region, TensorStride convStride, MapKind kind) {}
