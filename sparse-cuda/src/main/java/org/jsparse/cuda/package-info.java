/**
 * CUDA backend (JCuda driver API, kernels shipped as PTX). Not yet implemented: see the
 * sparse-cuda issue. Nothing in this package is public API yet.
 */
package org.jsparse.cuda;
