/** Autograd, layers, losses, optimizers and pruning U-Nets. Not yet implemented: see the sparse-nn issue. */
package org.jsparse.nn;
