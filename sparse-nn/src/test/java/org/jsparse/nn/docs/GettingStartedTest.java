package org.jsparse.nn.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.models.PruningUNet;
import org.jsparse.nn.optim.Adam;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The first network of docs/getting-started.md, line for line between the markers: it must compile and learn. */
class GettingStartedTest {
  @Test
  void theFirstNetworkOfTheGuideLearnsToCloseAHole() {
    double first = Double.NaN;
    double last = Double.NaN;
    // --- docs/getting-started.md: first network ---
    List<int[]> sphere = new ArrayList<>();                          // a sphere's shell, radius 6
    for (int z = -7; z <= 7; z++) {
      for (int y = -7; y <= 7; y++) {
        for (int x = -7; x <= 7; x++) {
          double r = Math.sqrt(x * x + y * y + z * z);
          if (r > 5.5 && r <= 6.5) {
            sphere.add(new int[] {0, z, y, x});                      // (batch, z, y, x)
          }
        }
      }
    }
    List<int[]> holed = sphere.stream().filter(c -> c[3] < 4).toList(); // cut a cap off
    PruningUNet net = PruningUNet.builder().setDimension(3).setChannels(8, 16, 32).optSeed(1).build();
    Adam adam = new Adam(net, 0.01, true);
    for (int step = 0; step < 40; step++) {
      try (CoordinateManager cm = new CoordinateManager(3)) {            // one manager per batch
        SparseTensor x = SparseTensor.create(cm, Coordinates.of(holed.toArray(new int[0][])),
            TensorStride.uniform(3, 1), Nd4j.ones(DataType.FLOAT, holed.size(), 1));
        SparseTensor target = SparseTensor.create(cm, Coordinates.of(sphere.toArray(new int[0][])),
            TensorStride.uniform(3, 1), Nd4j.ones(DataType.FLOAT, sphere.size(), 1));
        adam.zeroGrad();
        Variable loss = PruningUNet.loss(net.forward(Variable.of(x, false), target), target);
        loss.backward();
        adam.step();
        System.out.printf("step %d  loss %.4f  peak %.1f MiB%n", step, loss.data().getDouble(0),
            cm.memory().peakTotal() / 1048576.0);
        // --- end of the guide's lines ---
        first = step == 0 ? loss.data().getDouble(0) : first;
        last = loss.data().getDouble(0);
      }
    }
    assertTrue(last < 0.5 * first, "the loss falls: " + first + " -> " + last);
  }
}
