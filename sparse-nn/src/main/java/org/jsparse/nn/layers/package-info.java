/**
 * Layers over sparse values: convolutions of every geometry, linear, batch and instance norm,
 * activations, dropout, pooling, global pooling, pruning, union, concatenation, addition,
 * residual and sequential composition.
 */
package org.jsparse.nn.layers;
