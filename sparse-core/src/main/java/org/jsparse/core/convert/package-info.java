/**
 * Ways in and out of the sparse world: dense volumes to sparse tensors (by threshold, top-k or
 * mask) and back, point clouds to unique voxels with their features reduced, and masks of CT
 * volumes by Hounsfield range.
 */
package org.jsparse.core.convert;
