package org.jsparse.nn.models;

import org.jsparse.nn.layers.Activation;

import java.util.function.Supplier;
import org.jsparse.nn.Layer;
import org.jsparse.nn.layers.BatchNorm;
import org.jsparse.nn.layers.Convolution;
import org.jsparse.nn.layers.Sequential;
import org.nd4j.linalg.api.buffer.DataType;

/** The conv, batch norm, activation triple the seeds' networks are made of. */
final class Blocks {
  private Blocks() {}

  /** Settings every block of one network shares. */
  record Settings(int dimension, DataType dataType, long seed, Supplier<Layer> activation, boolean recompute,
      boolean rebuildKernelMaps) {
    Settings(int dimension, DataType dataType, long seed, Supplier<Layer> activation) {
      this(dimension, dataType, seed, activation, false, false);
    }
  }

  /** Convolution (no bias) of the given per-axis kernel and stride, then batch norm, then the activation. */
  static Sequential convBnAct(Convolution.Builder conv, int in, int out, int[] kernel, int[] stride, Settings s) {
    return new Sequential(
        conv.setChannels(in, out).setDimension(s.dimension()).setKernelSize(kernel).optStride(stride)
            .optDataType(s.dataType()).optSeed(s.seed()).optRebuildKernelMap(s.rebuildKernelMaps()).build(),
        new BatchNorm(out, 0.1, 1e-5, s.dataType()).recomputeInput(s.recompute()),
        inPlace(s.activation().get()));
  }

  /** Activations after a batch norm overwrite its output: nothing else reads it. */
  private static Layer inPlace(Layer activation) {
    return activation instanceof Activation a ? a.inPlace() : activation;
  }

  /** A submanifold k^D convolution block. */
  static Sequential submanifold(int in, int out, int k, Settings s) {
    return convBnAct(Convolution.builder(), in, out, uniform(s.dimension(), k), uniform(s.dimension(), 1), s);
  }

  static int[] uniform(int d, int v) {
    int[] a = new int[d];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
