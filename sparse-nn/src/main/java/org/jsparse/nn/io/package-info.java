/**
 * Training checkpoints: a model's parameters and buffers with the optimizer's state, step count
 * and learning rate (and a scheduler's position), saved and loaded as one file so that a run
 * resumes exactly.
 */
package org.jsparse.nn.io;
