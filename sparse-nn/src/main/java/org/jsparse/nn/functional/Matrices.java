package org.jsparse.nn.functional;

import org.jsparse.nn.autograd.Variable;
import org.jsparse.core.memory.MemoryLedger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Row-major double copies of ND4J arrays and back, for the ops written as plain loops. */
final class Matrices {
  private Matrices() {}

  /** The entries of {@code a} in row-major order, as doubles. */
  static double[] values(INDArray a) {
    INDArray c = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    return c.data().asDouble();
  }

  /** A row-major array of {@code shape} and {@code type} holding {@code v}. */
  static INDArray of(double[] v, long[] shape, DataType type) {
    INDArray d = Nd4j.create(v, shape, 'c');
    return type == DataType.DOUBLE ? d : d.castTo(type);
  }

  /** The ledger of a sparse value's manager, or null for a dense value. */
  static MemoryLedger ledger(Variable x) {
    return x.tensor() == null ? null : x.tensor().manager().memory();
  }
}
