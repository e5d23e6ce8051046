package org.jsparse.benchmarks.training;

import org.jsparse.examples.ct.SkullRecipe;
import java.io.DataInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryReport;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.models.CompletionNet;
import org.jsparse.nn.models.PruningUNet;
import org.jsparse.nn.optim.Adam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One point of the training-memory table, in a JVM of its own: one Adam (amsgrad) step of
 * {@code CompletionNet.CH1} on the skull of {@link SkullRecipe}, after one warm-up step. Prints
 * one JSON line: sites per level, step time, the manager ledger's peak per category (the step's
 * activations, maps and workspaces), the optimizer's ledger (parameters, their gradients, Adam's
 * moments: constant from step to step), the two together over the process's peak RSS (VmHWM) net
 * of its RSS just after ND4J started (the floor).
 *
 * <p>Arguments: {@code skull-file mode}; the network is built as {@code CompletionNet.builder} makes
 * it (each block's convolution output remade and its kernel map rebuilt in backward); a mode with
 * {@code +keep} keeps the outputs ({@code optRecompute(false)}), {@code +keepmaps} keeps the kernel
 * maps ({@code optRebuildKernelMaps(false)}), {@code +keepall} both (the network as it was built
 * before issue 9's last changes); {@code +ch2} builds the wide network ({@code CompletionNet.CH2},
 * 18,137,201 parameters, instead of CH1's 434,695); {@code +bN} trains a batch of N (copies of the skull,
 * mirrored left-right on odd items, batch indices 0..N-1); {@code +infer} measures inference instead: one forward pass
 * without the tape or an optimizer, pruned to the target's sites as teacher forcing does (the
 * memory of a network that predicts them). (or {@code R=256 mode} to build the skull in this JVM, for
 * profiling; the RSS figure then includes the CT's footprint), mode {@code teacher} (level classifiers' biases at -50,
 * so pruning keeps exactly the target's sites) or {@code own} (the untrained net's own pruning).
 */
public final class TrainingStepPoint {
  private TrainingStepPoint() {}

  public static void main(String[] args) throws IOException {
    Nd4j.create(DataType.FLOAT, 1, 1);
    long floor = ProcStatus.kib("VmRSS");
    SkullRecipe.Skull skull = args[0].startsWith("R=")
        ? SkullRecipe.build(Path.of(System.getProperty("jsparse.ct", "/usr/share/doc/invesalius-examples/examples/Cranium.inv3")),
            Integer.parseInt(args[0].substring(2)))
        : read(Path.of(args[0]));
    boolean teacher = args[1].startsWith("teacher");
    java.util.List<String> options = java.util.Arrays.asList(args[1].split("\\+"));
    boolean keepOutputs = options.contains("keep") || options.contains("keepall");
    boolean keepMaps = options.contains("keepmaps") || options.contains("keepall");
    boolean inference = options.contains("infer");
    int[] channels = options.contains("ch2") ? CompletionNet.CH2 : CompletionNet.CH1;
    PruningUNet net = CompletionNet.builder(channels, 3, DataType.FLOAT, 1).optRecompute(!keepOutputs)
        .optRebuildKernelMaps(!keepMaps).build();
    if (teacher) {
      for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
        if (e.getKey().startsWith("cls") && e.getKey().endsWith("bias")) {
          e.getValue().data().assign(-50);
        }
      }
    }
    net.train();
    Adam adam = inference ? null : new Adam(net, 1e-3, true);
    StepFigures f;
    long t0;
    long cpu0;
    long faults0;
    int resolution = skull.resolution();
    Sites sites = Sites.of(skull, batchOption(options));
    skull = null; // the recipe's arrays are garbage now: keep only what a training loop keeps (its coordinates)
    try {
      step(net, adam, sites);
      faults0 = ProcStatus.minorFaults();
      t0 = System.nanoTime();
      cpu0 = processCpuNanos();
      f = step(net, adam, sites);
    } catch (RuntimeException e) {
      System.out.println(String.format(Locale.ROOT, "{\"R\":%d,\"mode\":\"%s\",\"error\":\"%s\"}", resolution,
          args[1], String.valueOf(e.getMessage()).replace("\"", "'")));
      return;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
    long faults = ProcStatus.minorFaults() - faults0;
    long hwm = ProcStatus.kib("VmHWM");
    StringBuilder json = new StringBuilder();
    json.append(String.format(Locale.ROOT, "{\"R\":%d,\"mode\":\"%s\",\"batch\":%d,\"inputSites\":%d,\"targetSites\":%d,",
        resolution, args[1], batchOption(options), sites.input().size(), sites.target().size()));
    json.append("\"keptPerLevel\":").append(java.util.Arrays.toString(f.kept).replace(" ", "")).append(',');
    json.append(String.format(Locale.ROOT,
        "\"stepSeconds\":%.3f,\"stepCpuSeconds\":%.3f,\"stepMinorFaultMiB\":%.1f,\"loss\":%s,", seconds,
        cpuSeconds, faults * 4096 / 1048576.0, Double.isNaN(f.loss) ? "null" : String.format(Locale.ROOT, "%.5f", f.loss)));
    json.append("\"ledgerPeakBytes\":{");
    for (MemoryCategory c : MemoryCategory.values()) {
      json.append('"').append(c).append("\":").append(f.report.peak().get(c)).append(',');
    }
    json.append(String.format(Locale.ROOT, "\"TOTAL\":%d},", f.report.peakTotal()));
    MemoryReport state = inference ? new org.jsparse.core.memory.MemoryLedger("cpu").report() : adam.memory().report();
    json.append(String.format(Locale.ROOT,
        "\"trainingStateBytes\":{\"PARAMETERS\":%d,\"GRADIENTS\":%d,\"OPTIMIZER_STATE\":%d,\"TOTAL\":%d},",
        state.peak().get(MemoryCategory.PARAMETERS), state.peak().get(MemoryCategory.GRADIENTS),
        state.peak().get(MemoryCategory.OPTIMIZER_STATE), state.peakTotal()));
    json.append(String.format(Locale.ROOT, "\"ledgersPeakBytes\":%d,\"ledgersOverRss\":%.3f,",
        f.report.peakTotal() + state.peakTotal(),
        (f.report.peakTotal() + state.peakTotal()) / ((hwm - floor) * 1024.0)));
    json.append("\"topAtPeak\":[");
    var top = f.report.topAtPeak(8);
    for (int i = 0; i < top.size(); i++) {
      json.append(String.format(Locale.ROOT, "%s{\"op\":\"%s\",\"category\":\"%s\",\"bytes\":%d}", i == 0 ? "" : ",",
          top.get(i).op(), top.get(i).category(), top.get(i).bytes()));
    }
    json.append("],");
    json.append(String.format(Locale.ROOT, "\"floorRssBytes\":%d,\"peakRssNetBytes\":%d,\"maxHeapBytes\":%d}",
        floor * 1024, (hwm - floor) * 1024, Runtime.getRuntime().maxMemory()));
    System.out.println(json);
  }

  /** CPU time of the whole process (all threads, GC and JIT included): steadier than wall time on a shared machine. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private record StepFigures(int[] kept, double loss, MemoryReport report) {}

  /** The skull's sites as coordinate tables, made once: a training loop keeps its data, not rebuilds it. */
  private record Sites(Coordinates input, Coordinates target) {
    static Sites of(SkullRecipe.Skull skull, int batch) {
      int r = skull.resolution();
      return new Sites(coordinates(skull.input(), r, batch), coordinates(skull.target(), r, batch));
    }
  }

  /** The batch size of a mode's {@code +bN} option (1 without one). */
  static int batchOption(java.util.List<String> options) {
    for (String o : options) {
      if (o.matches("b[0-9]+")) {
        int b = Integer.parseInt(o.substring(1));
        if (b < 1) {
          throw new IllegalArgumentException("batch option " + o + ": the batch size must be at least 1");
        }
        return b;
      }
    }
    return 1;
  }

  private static StepFigures step(PruningUNet net, Adam adam, Sites sites) {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor x = tensor(cm, sites.input());
      SparseTensor target = tensor(cm, sites.target());
      cm.memory().resetPeaks();
      if (adam == null) { // inference: forward only, no tape, pruned to the target's sites (a network that predicts them)
        try (org.jsparse.nn.autograd.NoGrad ng = org.jsparse.nn.autograd.NoGrad.enter();
            org.jsparse.nn.autograd.TensorScope scope = org.jsparse.nn.autograd.TensorScope.open()) {
          PruningUNet.Output out = net.forward(Variable.of(x, false), target);
          return new StepFigures(out.keptSites(), Double.NaN, cm.memory().report());
        }
      }
      adam.zeroGrad();
      PruningUNet.Output out = net.forward(Variable.of(x, false), target);
      Variable loss = PruningUNet.loss(out, target);
      double value = loss.data().getDouble(0);
      loss.backward();
      adam.step();
      return new StepFigures(out.keptSites(), value, cm.memory().report());
    }
  }

  /** The x of a skull site in batch item {@code b} of a {@code +bN} batch: odd items are mirrored left-right. */
  static int batchItemX(int x, int b, int r) {
    return b % 2 == 0 ? x : r - 1 - x;
  }

  /** The sites as batch items 0..batch-1: copies of the skull, mirrored left-right (x) on odd items. */
  private static Coordinates coordinates(int[] zyx, int r, int batch) {
    int n = zyx.length / 3;
    int[] flat = new int[4 * n * batch];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < n; i++) {
        int row = 4 * (b * n + i);
        flat[row] = b;
        flat[row + 1] = zyx[3 * i];
        flat[row + 2] = zyx[3 * i + 1];
        flat[row + 3] = batchItemX(zyx[3 * i + 2], b, r);
      }
    }
    return Coordinates.adopt(3, flat);
  }

  private static SparseTensor tensor(CoordinateManager cm, Coordinates c) {
    return SparseTensor.create(cm, c, TensorStride.uniform(3, 1), Nd4j.ones(DataType.FLOAT, c.size(), 1));
  }

  static void write(Path file, SkullRecipe.Skull skull) throws IOException {
    try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(skull.resolution());
      for (int[] a : new int[][] {skull.input(), skull.target()}) {
        out.writeInt(a.length);
        for (int v : a) {
          out.writeInt(v);
        }
      }
    }
  }

  static SkullRecipe.Skull read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      int r = in.readInt();
      int[][] a = new int[2][];
      for (int k = 0; k < 2; k++) {
        a[k] = new int[in.readInt()];
        for (int i = 0; i < a[k].length; i++) {
          a[k][i] = in.readInt();
        }
      }
      return new SkullRecipe.Skull(r, a[0], a[1]);
    }
  }
}
