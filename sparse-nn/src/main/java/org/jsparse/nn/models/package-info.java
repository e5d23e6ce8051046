/**
 * The seeds' networks: the pruning U-Net of generative completion
 * ({@link org.jsparse.nn.models.PruningUNet}, {@link org.jsparse.nn.models.CompletionNet}) and the
 * sparse deep-stULM localization network.
 */
package org.jsparse.nn.models;
