package org.jsparse.cuda;

import java.util.Random;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.nd4j.linalg.api.buffer.DataType;

/** Test inputs for the kernel checks: uniform values already rounded to the buffer's type, and their upload. */
final class TestValues {
  private TestValues() {}

  /** {@code n} values uniform in [-1, 1), rounded to float for a FLOAT type so that a double reference sees what the kernel sees. */
  static double[] uniform(Random r, long n, DataType type) {
    double[] v = new double[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) {
      double x = r.nextDouble() * 2 - 1;
      v[i] = type == DataType.FLOAT ? (float) x : x;
    }
    return v;
  }

  /** {@code v} as a {@code [rows, cols]} FEATURES buffer of {@code type} on {@code backend}. */
  static Buffer upload(Backend backend, MemoryLedger ledger, double[] v, long rows, long cols, DataType type) {
    Object values = v;
    if (type == DataType.FLOAT) {
      float[] f = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        f[i] = (float) v[i];
      }
      values = f;
    }
    return backend.upload(ledger, MemoryCategory.FEATURES, "test", values, rows, cols);
  }
}
