/**
 * Modules, layers and parameters: {@link org.jsparse.nn.Module} holds named parameters, buffers
 * and children; {@link org.jsparse.nn.Layer} is a module with one input and one output.
 */
package org.jsparse.nn;
