/**
 * The skull-completion example: procedural skulls with a cut-out defect, a pruning U-Net trained
 * to complete them, Dice of the completion on a held-out skull.
 */
package org.jsparse.examples.skull;
