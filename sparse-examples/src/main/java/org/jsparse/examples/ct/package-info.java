/**
 * Skull completion on the real head CT of the {@code invesalius-examples} package: the bone
 * surface recipe (also the memory benchmark's input), random defects of the skull top, training,
 * implant Dice, NIfTI volumes and a PNG of the result.
 */
package org.jsparse.examples.ct;
