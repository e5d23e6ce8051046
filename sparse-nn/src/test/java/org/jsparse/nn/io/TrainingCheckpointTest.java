package org.jsparse.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Module;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.layers.Dropout;
import org.jsparse.nn.layers.Sequential;
import org.jsparse.nn.models.PruningUNet;
import org.jsparse.nn.optim.Adam;
import org.jsparse.nn.optim.LrSchedule;
import org.jsparse.nn.optim.LrScheduler;
import org.jsparse.nn.optim.Optimizer;
import org.jsparse.nn.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Stop after k steps, save, load into fresh objects, continue: the next steps equal the uninterrupted run's bit for bit. */
class TrainingCheckpointTest {
  @TempDir
  Path dir;

  private static SparseTensor[] data(CoordinateManager cm) {
    int[][] in = new int[30][];
    int[][] full = new int[45][];
    for (int i = 0; i < 45; i++) {
      int[] r = {0, i % 5, (i / 5) % 3, i / 15};
      full[i] = r;
      if (i < 30) {
        in[i] = r;
      }
    }
    SparseTensor x = SparseTensor.create(cm, Coordinates.of(in), TensorStride.uniform(3, 1), Nd4j.ones(DataType.FLOAT, 30, 1));
    SparseTensor y = SparseTensor.create(cm, Coordinates.of(full), TensorStride.uniform(3, 1), Nd4j.ones(DataType.FLOAT, 45, 1));
    return new SparseTensor[] {x, y};
  }

  private interface OptimizerFactory {
    Optimizer make(Module m);
  }

  private static void train(PruningUNet net, Optimizer opt, LrScheduler sched, SparseTensor[] xy, int steps) {
    for (int s = 0; s < steps; s++) {
      opt.zeroGrad();
      PruningUNet.loss(net.forward(Variable.of(xy[0], false), xy[1]), xy[1]).backward();
      opt.step();
      sched.step();
    }
  }

  private void resumeIsBitIdentical(OptimizerFactory factory) throws IOException {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor[] xy = data(cm);
      PruningUNet a = PruningUNet.builder().setDimension(3).setChannels(4, 6, 8).optSeed(2).build();
      Optimizer oa = factory.make(a);
      LrScheduler sa = new LrScheduler(oa, LrSchedule.multiStep(new int[] {3, 5}, 0.5));
      train(a, oa, sa, xy, 4);
      Path file = dir.resolve("run.ckpt");
      TrainingCheckpoint.save(file, a, oa, sa);
      train(a, oa, sa, xy, 3);

      PruningUNet b = PruningUNet.builder().setDimension(3).setChannels(4, 6, 8).optSeed(99).build();
      Optimizer ob = factory.make(b);
      LrScheduler sb = new LrScheduler(ob, LrSchedule.multiStep(new int[] {3, 5}, 0.5));
      TrainingCheckpoint.load(file, b, ob, sb);
      assertEquals(4, sb.epoch());
      train(b, ob, sb, xy, 3);
      a.namedParameters().forEach((n, p) ->
          assertTrue(p.data().equals(b.namedParameters().get(n).data()), n + " differs after resuming"));
      a.namedBuffers().forEach((n, v) -> assertTrue(v.equals(b.namedBuffers().get(n)), "buffer " + n));
      assertEquals(oa.learningRate(), ob.learningRate());
    }
  }

  @Test
  void adamWithAmsgradResumesExactly() throws IOException {
    resumeIsBitIdentical(m -> new Adam(m, 0.01, true));
  }

  @Test
  void sgdWithNesterovResumesExactly() throws IOException {
    resumeIsBitIdentical(m -> new Sgd(m, 0.05, 0.9, true, 1e-4));
  }

  @Test
  void mismatchesAreReported() throws IOException {
    PruningUNet a = PruningUNet.builder().setDimension(3).setChannels(4, 6, 8).build();
    Path file = dir.resolve("model.ckpt");
    TrainingCheckpoint.save(file, a, null, null);
    PruningUNet other = PruningUNet.builder().setDimension(3).setChannels(4, 6, 10).build();
    IOException e = assertThrows(IOException.class, () -> TrainingCheckpoint.load(file, other, null, null));
    assertTrue(e.getMessage().contains("shape"), e.getMessage());
    IOException noOpt = assertThrows(IOException.class, () -> TrainingCheckpoint.load(file, a, new Sgd(a, 0.1), null));
    assertTrue(noOpt.getMessage().contains("no optimizer"), noOpt.getMessage());
    Sequential withDropout = new Sequential(new Dropout(0.5, 1));
    TrainingCheckpoint.save(dir.resolve("d.ckpt"), withDropout, null, null);
    TrainingCheckpoint.load(dir.resolve("d.ckpt"), withDropout, null, null);
    assertEquals(List.of("0.calls"), List.copyOf(withDropout.namedBuffers().keySet()));
  }
}
