package org.jsparse.nn.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jsparse.nn.functional.SparseFunctions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A user's own op, written with the public Node and Variables.result, differentiates like the library's. */
class CustomOpTest {
  /** {@code y = x^3} elementwise on a dense value. */
  private static Variable cube(Variable x) {
    INDArray y = x.data().mul(x.data()).muli(x.data());
    Node node = new Node(x) {
      @Override
      protected INDArray[] backward(INDArray g) {
        return new INDArray[] {g.mul(x.data().mul(x.data()).muli(3))};
      }
    };
    return Variables.result(y, node);
  }

  @Test
  void aCustomOpChainsWithLibraryOpsAndMatchesFiniteDifferences() {
    double[][] values = {{0.5, -1.25}, {2.0, 0.75}};
    Variable w = Variable.of(Nd4j.create(new double[][] {{1.5}, {-0.5}}), true);
    Variable x = Variable.of(Nd4j.create(values), true);
    // loss = sum(cube(x) W): the library's linear after the custom op
    Variable y = SparseFunctions.linear(cube(x), w, null);
    y.backward(y.data().like().assign(1));
    double h = 1e-6;
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        double up = loss(values, i, j, h, w.data());
        double down = loss(values, i, j, -h, w.data());
        assertEquals((up - down) / (2 * h), x.grad().getDouble(i, j), 1e-6, "d loss / d x[" + i + "," + j + "]");
      }
    }
  }

  private static double loss(double[][] values, int i, int j, double h, INDArray w) {
    double total = 0;
    for (int r = 0; r < values.length; r++) {
      for (int c = 0; c < values[r].length; c++) {
        double v = values[r][c] + (r == i && c == j ? h : 0);
        total += v * v * v * w.getDouble(c, 0);
      }
    }
    return total;
  }
}
