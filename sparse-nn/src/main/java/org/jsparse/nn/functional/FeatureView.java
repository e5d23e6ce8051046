package org.jsparse.nn.functional;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to a packed row-major FLOAT or DOUBLE ND4J array in place (through a direct NIO
 * view of its native buffer): for the host-side loops of losses and pruning decisions, which read
 * one-channel logits without copying them to the Java heap.
 */
public final class FeatureView {
  private final FloatBuffer floats;
  private final DoubleBuffer doubles;
  private final int length;

  private FeatureView(INDArray a) {
    INDArray d = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    length = (int) d.length();
    if (d.dataType() == DataType.FLOAT) {
      floats = d.data().asNioFloat().position((int) d.offset()).slice();
      doubles = null;
    } else if (d.dataType() == DataType.DOUBLE) {
      doubles = d.data().asNioDouble().position((int) d.offset()).slice();
      floats = null;
    } else {
      throw new IllegalArgumentException("expected FLOAT or DOUBLE values, got " + d.dataType());
    }
  }

  /** A view of {@code a} (of a row-major copy when {@code a} is a strided view). */
  public static FeatureView of(INDArray a) {
    return new FeatureView(a);
  }

  public int length() {
    return length;
  }

  public double get(int i) {
    return floats != null ? floats.get(i) : doubles.get(i);
  }

  public void set(int i, double v) {
    if (floats != null) {
      floats.put(i, (float) v);
    } else {
      doubles.put(i, v);
    }
  }
}
