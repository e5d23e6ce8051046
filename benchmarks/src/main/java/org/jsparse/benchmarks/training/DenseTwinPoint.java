package org.jsparse.benchmarks.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsparse.examples.ct.SkullRecipe;
import org.jsparse.nn.models.CompletionNet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One dense point of the training-memory table, in a JVM of its own: the {@link DenseCompletionTwin}
 * of CompletionNet CH1 (or CH2) trained one SameDiff step (AMSGrad) on the skull of
 * {@link SkullRecipe} as full occupancy grids, after one warm-up step; or, with {@code +infer},
 * one forward pass to the head's logits. Prints one JSON line: the step's time, the process's peak
 * RSS (VmHWM) net of its RSS just after ND4J started, which includes every ND4J buffer (SameDiff
 * keeps its own arrays: there is no ledger on this side), the grids' sizes and the loss after the
 * two steps (computed once the peak was read).
 *
 * <p>Arguments: {@code skull-file mode}; mode {@code dense}, with {@code +infer}, {@code +ch2}
 * and {@code +bN} (batch of N: copies of the skull, mirrored left-right on odd items) as options.
 */
public final class DenseTwinPoint {
  private DenseTwinPoint() {}

  public static void main(String[] args) throws IOException {
    Nd4j.create(DataType.FLOAT, 1, 1);
    long floor = ProcStatus.kib("VmRSS");
    SkullRecipe.Skull skull = TrainingStepPoint.read(Path.of(args[0]));
    List<String> options = List.of(args[1].split("\\+"));
    boolean inference = options.contains("infer");
    int batch = TrainingStepPoint.batchOption(options);
    int[] channels = options.contains("ch2") ? CompletionNet.CH2 : CompletionNet.CH1;
    int r = skull.resolution();
    String head = String.format(Locale.ROOT, "{\"R\":%d,\"mode\":\"%s\",\"batch\":%d,\"inputSites\":%d,"
        + "\"targetSites\":%d,", r, args[1], batch, batch * skull.inputSites(), batch * skull.targetSites());
    try {
      DenseCompletionTwin twin = DenseCompletionTwin.build(channels, r, batch, 1);
      DataSet data = new DataSet(grid(skull.input(), r, batch), grid(skull.target(), r, batch));
      skull = null;
      if (!inference) {
        twin.graph().setTrainingConfig(DenseCompletionTwin.trainingConfig());
      }
      step(twin, data, inference);
      long t0 = System.nanoTime();
      step(twin, data, inference);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long hwm = ProcStatus.kib("VmHWM");
      double loss = inference ? Double.NaN : loss(twin, data); // after the peak was read: not part of the step
      System.out.println(head + String.format(Locale.ROOT, "\"parameters\":%d,\"gridBytes\":%d,\"stepSeconds\":%.3f,"
          + "\"loss\":%s,\"floorRssBytes\":%d,\"peakRssNetBytes\":%d,\"maxHeapBytes\":%d}", twin.parameterCount(),
          4L * batch * r * r * r, seconds, Double.isNaN(loss) ? "null" : String.format(Locale.ROOT, "%.5f", loss),
          floor * 1024, (hwm - floor) * 1024, Runtime.getRuntime().maxMemory()));
    } catch (RuntimeException | OutOfMemoryError e) {
      System.out.println(head + String.format(Locale.ROOT, "\"error\":\"%s\"}",
          String.valueOf(e.getMessage()).replace("\"", "'").replace("\n", " ")));
    }
  }

  /** One training step, or one forward pass to the head. */
  private static void step(DenseCompletionTwin twin, DataSet data, boolean inference) {
    if (inference) {
      Map<String, INDArray> out = twin.graph().output(Map.of(DenseCompletionTwin.INPUT, data.getFeatures()),
          DenseCompletionTwin.HEAD);
      out.get(DenseCompletionTwin.HEAD).close();
    } else {
      twin.graph().fit(data);
    }
  }

  /** The loss of the trained graph on this batch. */
  private static double loss(DenseCompletionTwin twin, DataSet data) {
    return twin.graph().output(Map.of(DenseCompletionTwin.INPUT, data.getFeatures(), DenseCompletionTwin.TARGET,
        data.getLabels()), DenseCompletionTwin.LOSS).get(DenseCompletionTwin.LOSS).getDouble(0);
  }

  /** Occupancy grids {@code [batch, 1, r, r, r]} of these z,y,x sites; odd batch items mirrored in x. */
  static INDArray grid(int[] zyx, int r, int batch) {
    long cells = (long) r * r * r;
    if (batch * cells > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a dense batch of " + batch + " x " + r + "^3 has more than 2^31 cells;"
          + " the dense twin cannot hold it in one ND4J array");
    }
    float[] values = new float[(int) (batch * cells)];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < zyx.length; i += 3) {
        int x = TrainingStepPoint.batchItemX(zyx[i + 2], b, r);
        values[(int) (b * cells + ((long) zyx[i] * r + zyx[i + 1]) * r + x)] = 1;
      }
    }
    return Nd4j.create(values, new long[] {batch, 1, r, r, r}, DataType.FLOAT);
  }
}
