package org.jsparse.nn.functional;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.Node;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.autograd.Variables;

/** Result buffers of the elementwise ops: new features on the input's sites, or a new dense array. */
final class Elementwise {
  private Elementwise() {}

  /** A zero buffer shaped like {@code x}: counted FEATURES of x's manager when x is sparse. */
  static Buffer newLike(Backend backend, Variable x, String op) {
    if (x.tensor() != null) {
      CoordinateManager cm = x.tensor().manager();
      return backend.zeros(cm.memory(), MemoryCategory.FEATURES, op, x.tensor().dataType(), x.tensor().size(),
          x.tensor().channels());
    }
    long rows = Activations.rowsOf(x.data());
    return backend.zeros(null, null, op, x.data().dataType(), rows, rows == 0 ? 0 : x.data().length() / rows);
  }

  /** The op result holding {@code out}, on x's sites (or shaped like x when dense). */
  static Variable result(Variable x, Buffer out, Node node) {
    if (x.tensor() != null) {
      SparseTensor t = SparseTensor.fromOp(x.tensor().manager(), x.tensor().key(), out);
      return Variables.result(t, node);
    }
    return Variables.result(out.backend().toINDArray(out, x.data().shape()), node);
  }
}
