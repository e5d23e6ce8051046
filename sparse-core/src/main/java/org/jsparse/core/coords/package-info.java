/**
 * Integer coordinates and the shapes around them: {@link org.jsparse.core.coords.Coordinates}
 * (rows of batch index and D spatial values, the user's way in), tensor strides, and kernel
 * regions (hypercube, hypercross, custom offsets, with dilation).
 */
package org.jsparse.core.coords;
