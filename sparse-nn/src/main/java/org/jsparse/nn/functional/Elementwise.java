package org.jsparse.nn.functional;

import java.util.function.Consumer;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How the nn ops reach a backend: a sparse value's manager's backend, or for a dense value (on no
 * manager, in host ND4J memory) one CPU backend, which holds no state; and their result buffers,
 * new features on the input's sites or a new dense array.
 */
final class Elementwise {
  /** The backend of dense values: stateless, so one serves every call. */
  private static final Backend HOST = Backends.cpu();

  private Elementwise() {}

  /** The backend of a sparse value or of a dense value's buffer, or the host CPU backend for a dense array. */
  static Backend backendOf(Variable x) {
    return x.backend() != null ? x.backend() : HOST;
  }

  /** The value as a buffer of {@code backend}: a tensor's own, a dense value's own buffer, or a dense array borrowed. */
  static Buffer buffer(Backend backend, Variable x) {
    if (x.tensor() != null) {
      return x.tensor().buffer();
    }
    return x.buffer() != null && x.backend() == backend ? x.buffer() : backend.borrow(x.data(), rowsOf(x.data()));
  }

  /** True when every non-null value is a dense value in {@code backend}'s own buffer (a parameter moved there). */
  static boolean residentOn(Backend backend, Variable... values) {
    for (Variable v : values) {
      if (v != null && (v.buffer() == null || v.backend() != backend)) {
        return false;
      }
    }
    return true;
  }

  /** A small dense value (a normalization's gamma) as host doubles: read in place, or copied from its backend. */
  static double[] hostValues(Variable v) {
    if (v.buffer() == null) {
      return v.data().castTo(DataType.DOUBLE).toDoubleVector();
    }
    return v.backend().downloadDoubles(v.buffer());
  }

  /**
   * Lets {@code op} overwrite {@code g}'s values through {@code backend} and returns {@code g}
   * holding the result. On the CPU the borrowed buffer is {@code g}'s own memory and the op wrote
   * {@code g} itself; on a backend with memory of its own (a GPU), or for an array that is not
   * contiguous, the buffer is a copy and its values are copied back.
   */
  static INDArray overwrite(Backend backend, INDArray g, Consumer<Buffer> op) {
    Buffer gb = backend.borrow(g, rowsOf(g));
    try {
      op.accept(gb);
      INDArray now = backend.toINDArray(gb, g.shape());
      if (now != g) {
        g.assign(now);
      }
    } finally {
      gb.close();
    }
    return g;
  }

  /** A small host vector (a bias or norm parameter's gradient) as an uncounted {@code [1, n]} buffer of {@code type}. */
  static Buffer vector(Backend backend, double[] values, DataType type) {
    Object v = values;
    if (type == DataType.FLOAT) {
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) values[i];
      }
      v = f;
    }
    return backend.upload(null, null, "gradient", v, 1, values.length);
  }

  /** Column sums of a buffer as an uncounted {@code [1, C]} buffer: a bias gradient. */
  static Buffer columnSums(Backend backend, Buffer g, DataType type) {
    double[] sums = new double[(int) g.cols()];
    backend.columnSums(g, sums);
    return vector(backend, sums, type);
  }

  static long rowsOf(INDArray a) {
    return a.rank() == 0 ? 1 : a.size(0);
  }

  /** A zero buffer shaped like {@code x}: counted FEATURES of x's manager when x is sparse. */
  static Buffer newLike(Backend backend, Variable x, String op) {
    long rows = x.rows();
    return newLike(backend, x, op, rows == 0 ? 0 : x.length() / rows);
  }

  /** A zero buffer with x's rows and {@code cols} columns, counted like {@link #newLike(Backend, Variable, String)}. */
  static Buffer newLike(Backend backend, Variable x, String op, long cols) {
    if (x.tensor() != null) {
      CoordinateManager cm = x.tensor().manager();
      return backend.zeros(cm.memory(), MemoryCategory.FEATURES, op, x.tensor().dataType(), x.tensor().size(), cols);
    }
    return backend.zeros(null, null, op, x.dataType(), x.rows(), cols);
  }

  /** The op result holding {@code out}, on x's sites (or, dense, shaped like x when it has x's size). */
  static Variable result(Variable x, Buffer out, Node node) {
    if (x.tensor() != null) {
      SparseTensor t = SparseTensor.fromOp(x.tensor().manager(), x.tensor().key(), out);
      return Variables.result(t, node);
    }
    long[] shape = out.length() == x.length() ? x.shape() : new long[] {out.rows(), out.cols()};
    return Variables.result(out.backend().toINDArray(out, shape), node);
  }
}
