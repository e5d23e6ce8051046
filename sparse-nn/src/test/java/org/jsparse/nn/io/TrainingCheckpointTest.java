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

  private static java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> copies(Module m) {
    java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> c = new java.util.LinkedHashMap<>();
    m.namedParameters().forEach((n, p) -> c.put(n, p.data().dup()));
    return c;
  }

  private static void assertUnchanged(java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> before, Module m) {
    before.forEach((n, v) -> assertTrue(v.equals(m.namedParameters().get(n).data()), n + " was overwritten"));
  }

  @Test
  void aCheckpointThatDoesNotFitChangesNothing() throws IOException {
    PruningUNet small = PruningUNet.builder().setDimension(3).setChannels(4, 6, 8).optSeed(1).build();
    Path file = dir.resolve("small.ckpt");
    TrainingCheckpoint.save(file, small, new Adam(small, 0.01, true), null);
    // same parameter paths, the last level wider: the mismatch is found after some paths matched
    PruningUNet wider = PruningUNet.builder().setDimension(3).setChannels(4, 6, 10).optSeed(2).build();
    Adam adam = new Adam(wider, 0.02, true);
    var before = copies(wider);
    assertThrows(IOException.class, () -> TrainingCheckpoint.load(file, wider, adam, null));
    assertUnchanged(before, wider);
    assertEquals(0.02, adam.learningRate(), "the optimizer kept its own settings");
    assertEquals(0, adam.steps());
    // an optimizer whose slots do not fit, on a model that does: neither is touched
    PruningUNet same = PruningUNet.builder().setDimension(3).setChannels(4, 6, 8).optSeed(3).build();
    var sameBefore = copies(same);
    Path wrongSlots = dir.resolve("wide.ckpt");
    TrainingCheckpoint.save(wrongSlots, wider, adam, null);
    assertThrows(IOException.class, () -> TrainingCheckpoint.load(wrongSlots, same, new Adam(same, 0.1, true), null));
    assertUnchanged(sameBefore, same);
  }

  @Test
  void truncatedEmptyAndMissingFilesAreNamedAndChangeNothing() throws IOException {
    PruningUNet a = PruningUNet.builder().setDimension(3).setChannels(4, 6, 8).optSeed(1).build();
    Path file = dir.resolve("a.ckpt");
    TrainingCheckpoint.save(file, a, null, null);
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    Path cut = dir.resolve("cut.ckpt");
    java.nio.file.Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    PruningUNet b = PruningUNet.builder().setDimension(3).setChannels(4, 6, 8).optSeed(2).build();
    var before = copies(b);
    IOException truncated = assertThrows(IOException.class, () -> TrainingCheckpoint.load(cut, b, null, null));
    assertTrue(truncated.getMessage().contains("cut.ckpt") && truncated.getMessage().contains("truncated"),
        truncated.getMessage());
    Path empty = dir.resolve("empty.ckpt");
    java.nio.file.Files.write(empty, new byte[0]);
    IOException none = assertThrows(IOException.class, () -> TrainingCheckpoint.load(empty, b, null, null));
    assertTrue(none.getMessage().contains("empty.ckpt"), none.getMessage());
    IOException missing = assertThrows(IOException.class,
        () -> TrainingCheckpoint.load(dir.resolve("nope.ckpt"), b, null, null));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    assertUnchanged(before, b);
    IOException noFolder = assertThrows(IOException.class,
        () -> TrainingCheckpoint.save(dir.resolve("no").resolve("x.ckpt"), a, null, null));
    assertTrue(noFolder.getMessage().contains("does not exist"), noFolder.getMessage());
    try (var files = java.nio.file.Files.list(dir)) {
      assertEquals(List.of("a.ckpt", "cut.ckpt", "empty.ckpt"),
          files.map(f -> f.getFileName().toString()).sorted().toList(), "no partial files left behind");
    }
  }
}
