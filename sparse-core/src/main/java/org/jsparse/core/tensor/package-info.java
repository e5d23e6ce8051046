/**
 * {@link org.jsparse.core.tensor.SparseTensor}: a coordinate map of a manager plus one feature row
 * per site, in a buffer of the manager's backend. ND4J arrays are the way in and out.
 */
package org.jsparse.core.tensor;
