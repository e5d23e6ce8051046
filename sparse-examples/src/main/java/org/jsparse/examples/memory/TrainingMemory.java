package org.jsparse.examples.memory;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.examples.skull.ProceduralSkull;
import org.jsparse.nn.Layer;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.Losses;
import org.jsparse.nn.layers.Activation;
import org.jsparse.nn.layers.Convolution;
import org.jsparse.nn.layers.Residual;
import org.jsparse.nn.layers.Sequential;
import org.jsparse.nn.memory.Checkpointed;
import org.jsparse.nn.memory.InvertibleResidualChain;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Peak training memory of a deep sparse residual network (blocks {@code x + conv(ELU(conv(x)))})
 * trained plainly, with checkpointed segments, and as an invertible chain, on a procedural skull
 * shell. Memory is the ledger's peak over one training step (features, gradients, saved arrays,
 * workspaces; coordinates and kernel maps are shared by all three and excluded); the gradients
 * of each variant are compared with plain backprop.
 */
public final class TrainingMemory {
  private TrainingMemory() {}

  /** One measured variant. */
  public record Row(String variant, long peakBytes, double seconds, double gradientError) {}

  public static List<Row> run(int size, int blocks, int channels, int segment, PrintStream log) {
    ProceduralSkull skull = ProceduralSkull.generate(size, 5);
    List<Row> rows = new ArrayList<>();
    try (CoordinateManager cm = new CoordinateManager(3)) {
      int[][] r = new int[skull.skull().size()][];
      for (int i = 0; i < r.length; i++) {
        int[] v = skull.skull().get(i);
        r[i] = new int[] {0, v[0], v[1], v[2]};
      }
      Nd4j.getRandom().setSeed(3);
      SparseTensor x = SparseTensor.create(cm, Coordinates.of(r), TensorStride.uniform(3, 1),
          Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, r.length, channels).subi(0.5));
      INDArray target = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, r.length, channels);
      List<Layer> fs = new ArrayList<>();
      for (int b = 0; b < blocks; b++) {
        fs.add(new Sequential(conv(channels, 2L * b, 0.1), Activation.elu(), conv(channels, 2L * b + 1, 0.1)));
      }
      Sequential plain = new Sequential();
      fs.forEach(f -> plain.add(new Residual(f)));
      Sequential checkpointed = new Sequential();
      for (int b = 0; b < blocks; b += segment) {
        Sequential seg = new Sequential();
        for (int k = b; k < Math.min(blocks, b + segment); k++) {
          seg.add(plain.layers().get(k));
        }
        checkpointed.add(new Checkpointed(seg));
      }
      InvertibleResidualChain chain = new InvertibleResidualChain(fs);
      log.printf(Locale.ROOT, "deep sparse residual net: %d sites (skull shell %d^3), %d blocks x 2 convs k3, %d channels%n",
          r.length, size, blocks, channels);
      step(plain, x, target);
      Map<String, INDArray> reference = grads(plain);
      rows.add(measure("plain backprop", cm, plain, x, target, reference, plain));
      rows.add(measure("checkpointed, segments of " + segment, cm, checkpointed, x, target, reference, plain));
      rows.add(measure("invertible chain", cm, chain, x, target, reference, plain));
    }
    for (Row row : rows) {
      log.printf(Locale.ROOT, "%-28s peak %8.1f MiB  step %6.2f s  gradient rel. error %.1e%n", row.variant(),
          row.peakBytes() / 1048576.0, row.seconds(), row.gradientError());
    }
    return rows;
  }

  private static Convolution conv(int c, long seed, double scale) {
    Convolution k = Convolution.builder().setChannels(c, c).setDimension(3).setKernelSize(3).optSeed(seed).build();
    k.weight().data().muli(scale);
    return k;
  }

  private static Row measure(String name, CoordinateManager cm, Layer net, SparseTensor x, INDArray target,
      Map<String, INDArray> reference, Layer plain) {
    step(net, x, target); // warm the kernel-map cache
    cm.memory().resetPeaks();
    long base = cm.memory().currentTotal() - cm.memory().current(MemoryCategory.KERNEL_MAPS)
        - cm.memory().current(MemoryCategory.COORDINATES);
    long t0 = System.nanoTime();
    step(net, x, target);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long peak = cm.memory().peakTotal() - cm.memory().peak(MemoryCategory.KERNEL_MAPS)
        - cm.memory().peak(MemoryCategory.COORDINATES) - base;
    double err = 0;
    Map<String, INDArray> g = grads(plain);
    for (String n : reference.keySet()) {
      double d = g.get(n).sub(reference.get(n)).norm2Number().doubleValue() / reference.get(n).norm2Number().doubleValue();
      err = Math.max(err, d);
    }
    return new Row(name, peak, seconds, err);
  }

  private static void step(Layer net, SparseTensor x, INDArray target) {
    net.zeroGrad();
    Losses.mse(net.forward(Variable.of(x, false)), target).backward();
  }

  private static Map<String, INDArray> grads(Layer plain) {
    Map<String, INDArray> g = new LinkedHashMap<>();
    plain.namedParameters().forEach((n, p) -> g.put(n, p.grad().dup()));
    return g;
  }
}
