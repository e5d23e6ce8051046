package org.jsparse.benchmarks.suite;

import static org.jsparse.benchmarks.charts.ResultCharts.number;
import static org.jsparse.benchmarks.charts.ResultCharts.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.jsparse.benchmarks.charts.ResultCharts;

/**
 * The results page of a {@link BenchmarkSuite} run: markdown tables and PNG charts made from the
 * JSON lines in its folder, the goals of the benchmarks issue checked where the run measured them.
 * Usage on its own: {@code SuiteReport folder} (rewrites {@code folder/results.md} and the charts).
 */
public final class SuiteReport {
  private final Path dir;
  private final StringBuilder md = new StringBuilder();

  private SuiteReport(Path dir) {
    this.dir = dir;
  }

  public static void main(String[] args) throws IOException {
    write(Path.of(args.length > 0 ? args[0] : "benchmark-results"), false, Double.NaN);
  }

  static void write(Path dir, boolean quick, double minutes) throws IOException {
    SuiteReport r = new SuiteReport(dir);
    r.md.append("# Benchmark results\n\n");
    r.md.append(String.format(Locale.ROOT, "Made by `BenchmarkSuite%s`%s on %d cores, %s. Raw JSON lines beside this "
            + "file; every figure below is from this run.%n%n", quick ? " --quick" : "",
        Double.isNaN(minutes) ? "" : String.format(Locale.ROOT, " in %.1f min", minutes),
        Runtime.getRuntime().availableProcessors(), java.time.LocalDate.now()));
    r.layerTime(read(dir, "layer-time.jsonl"));
    r.layerMemory(read(dir, "layer-memory.jsonl"));
    r.training(read(dir, "training-memory.jsonl"));
    r.batches(read(dir, "batch-memory.jsonl"));
    r.kernelMaps(read(dir, "kernel-maps.jsonl"));
    r.depth(read(dir, "depth-memory.jsonl"));
    Files.writeString(dir.resolve("results.md"), r.md.toString());
  }

  private static List<String> read(Path dir, String file) throws IOException {
    Path p = dir.resolve(file);
    List<String> lines = new ArrayList<>();
    if (Files.exists(p)) {
      for (String l : Files.readAllLines(p)) {
        if (l.startsWith("{")) {
          lines.add(l);
        }
      }
    }
    return lines;
  }

  private static double mb(double bytes) {
    return bytes / 1e6;
  }

  /** The JMH score of a benchmark with the given parameters, or NaN. */
  private static double score(List<String> lines, String benchmark, Map<String, Double> params) {
    for (String l : lines) {
      if (!text(l, "benchmark").equals(benchmark)) {
        continue;
      }
      boolean all = true;
      for (var e : params.entrySet()) {
        all &= Math.abs(number(l, e.getKey()) - e.getValue()) < 1e-9;
      }
      if (all) {
        return number(l, "score");
      }
    }
    return Double.NaN;
  }

  /** An auxiliary counter of a benchmark with the given parameters, or NaN. */
  private static double counter(List<String> lines, String benchmark, Map<String, Double> params, String field) {
    for (String l : lines) {
      boolean all = text(l, "benchmark").equals(benchmark) && l.contains("\"" + field + "\"");
      for (var e : params.entrySet()) {
        all &= all && Math.abs(number(l, e.getKey()) - e.getValue()) < 1e-9;
      }
      if (all) {
        return number(l, field);
      }
    }
    return Double.NaN;
  }

  /** Whether a layer line is on random sites (lines from before the real shells have no volume). */
  private static boolean random(String line) {
    String v = text(line, "volume");
    return v.isEmpty() || v.equals("random");
  }

  private void layerTime(List<String> all) throws IOException {
    List<String> lines = all.stream().filter(SuiteReport::random).toList();
    if (lines.isEmpty()) {
      return;
    }
    md.append("## 1a. One 3x3x3 layer: time (JMH, kernel map built in setup)\n\n");
    md.append("| grid | C | occupancy | sparse fwd ms | dense fwd ms | dense/sparse | sparse fwd+bwd ms | dense fwd+bwd ms "
        + "| dense/sparse | sparse ledger peak MB | fork VmHWM sparse / dense MB |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    TreeSet<Double> sizes = new TreeSet<>();
    TreeSet<Double> channels = new TreeSet<>();
    TreeSet<Double> occupancies = new TreeSet<>();
    for (String l : lines) {
      sizes.add(number(l, "size"));
      channels.add(number(l, "channels"));
      occupancies.add(number(l, "occupancy"));
    }
    Map<String, List<double[]>> chart = new LinkedHashMap<>();
    StringBuilder crossover = new StringBuilder();
    for (double size : sizes) {
      for (double c : channels) {
        Double cross = null;
        for (double occ : occupancies) {
          Map<String, Double> p = Map.of("size", size, "channels", c, "occupancy", occ);
          double sf = score(lines, "sparseForward", p);
          double df = score(lines, "denseForward", p);
          double sb = score(lines, "sparseForwardBackward", p);
          double db = score(lines, "denseForwardBackward", p);
          double ledger = counter(lines, "sparseForwardBackward", p, "ledgerPeakBytes");
          double hwmSparse = counter(lines, "sparseForwardBackward", p, "processPeakBytes");
          double hwmDense = counter(lines, "denseForwardBackward", p, "processPeakBytes");
          md.append(String.format(Locale.ROOT, "| %d^3 | %d | %.1f %% | %.2f | %.1f | %.0fx | %.2f | %.1f | %.0fx | %.1f | %.0f / %.0f |%n",
              (int) size, (int) c, 100 * occ, sf, df, df / sf, sb, db, db / sb, mb(ledger), mb(hwmSparse), mb(hwmDense)));
          chart.computeIfAbsent(String.format(Locale.ROOT, "sparse %d^3 C=%d", (int) size, (int) c), k -> new ArrayList<>())
              .add(new double[] {100 * occ, sb});
          chart.computeIfAbsent(String.format(Locale.ROOT, "dense %d^3 C=%d", (int) size, (int) c), k -> new ArrayList<>())
              .add(new double[] {100 * occ, db});
          if (cross == null && sb >= db) {
            cross = occ;
          }
        }
        crossover.append(String.format(Locale.ROOT, "- %d^3, C = %d: %s%n", (int) size, (int) c, cross == null
            ? "the sparse layer is faster at every occupancy measured (up to " + 100 * occupancies.last() + " %)"
            : "the dense layer catches up at " + 100 * cross + " % occupancy"));
      }
    }
    ResultCharts.lines("One 3x3x3 layer, forward + backward", "occupancy (%)", "time (ms)", true, true, chart,
        dir.resolve("layer-time.png"));
    md.append("\nWhere the sparse layer stops beating ND4J's dense conv3d (forward + backward):\n\n").append(crossover)
        .append("\n![layer time](layer-time.png)\n\n");
    realShellTime(all, lines);
  }

  /** The real shells' rows: the sparse layer on the skull and brain shells, ND4J's dense time from the same grid's random rows. */
  private void realShellTime(List<String> all, List<String> randomLines) {
    List<String> real = all.stream().filter(l -> !random(l)).toList();
    if (real.isEmpty()) {
      return;
    }
    md.append("Real shells (DATA.md's skull and brain, resampled into the grid, their one-voxel shell; "
        + "ND4J's dense time is the grid's, as above):\n\n");
    md.append("| grid | C | shell | occupancy | sparse fwd ms | dense/sparse | sparse fwd+bwd ms | dense/sparse | sparse ledger peak MB |\n"
        + "|---|---|---|---|---|---|---|---|---|\n");
    for (String l : real) {
      if (!text(l, "benchmark").equals("sparseForwardBackward")) {
        continue;
      }
      double size = number(l, "size");
      double c = number(l, "channels");
      double occ = number(l, "occupancy");
      String volume = text(l, "volume");
      double sf = Double.NaN;
      for (String f : real) {
        if (text(f, "benchmark").equals("sparseForward") && text(f, "volume").equals(volume) && number(f, "size") == size
            && number(f, "channels") == c) {
          sf = number(f, "score");
        }
      }
      double df = Double.NaN;
      double db = Double.NaN;
      for (String d : randomLines) {
        if (number(d, "size") == size && number(d, "channels") == c) {
          if (text(d, "benchmark").equals("denseForward")) {
            df = number(d, "score");
          } else if (text(d, "benchmark").equals("denseForwardBackward")) {
            db = number(d, "score");
          }
        }
      }
      double sb = number(l, "score");
      md.append(String.format(Locale.ROOT, "| %d^3 | %d | %s | %.2f %% | %.2f | %.0fx | %.2f | %.0fx | %.1f |%n", (int) size,
          (int) c, volume, 100 * occ, sf, df / sf, sb, db / sb, mb(number(l, "ledgerPeakBytes"))));
    }
    md.append("\n");
  }

  private void layerMemory(List<String> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    md.append("## 1b. One 3x3x3 layer: memory (a fresh JVM per point, forward + backward)\n\n");
    md.append("| grid | C | sites | occupancy | side | peak RSS net MB | ledger peak MB | time s |\n|---|---|---|---|---|---|---|---|\n");
    for (String l : lines) {
      if (l.contains("\"error\"")) {
        md.append("| ").append(l).append(" ||||||||\n");
        continue;
      }
      md.append(String.format(Locale.ROOT, "| %d^3 | %d | %s | %.2f %% | %s | %.1f | %s | %.2f |%n", (int) number(l, "size"),
          (int) number(l, "channels"), random(l) ? "random" : text(l, "volume") + " shell", 100 * number(l, "occupancy"),
          text(l, "side"), mb(number(l, "peakRssNetBytes")),
          l.contains("ledgerPeakBytes") && number(l, "ledgerPeakBytes") >= 0
              ? String.format(Locale.ROOT, "%.1f", mb(number(l, "ledgerPeakBytes"))) : "-",
          number(l, "seconds")));
    }
    ResultCharts.layerMemory(lines.stream().filter(SuiteReport::random).toList(), dir.resolve("layer-memory.png"));
    md.append("\n![layer memory](layer-memory.png)\n\n");
  }

  private void kernelMaps(List<String> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    md.append("## 3. Coordinate hashing and kernel maps (JMH, cold: a fresh manager per call)\n\n");
    md.append("| sites | insert (pack + hash) ms | submanifold 27 ms | per million sites | strided 8 ms | ledger peak of the "
        + "submanifold build MB |\n|---|---|---|---|---|---|\n");
    TreeSet<Double> sites = new TreeSet<>();
    lines.forEach(l -> sites.add(number(l, "sites")));
    Map<String, List<double[]>> chart = new LinkedHashMap<>();
    for (double n : sites) {
      Map<String, Double> p = Map.of("sites", n);
      double insert = score(lines, "insert", p);
      double sub = score(lines, "submanifold27", p);
      double strided = score(lines, "strided8", p);
      double ledger = counter(lines, "submanifold27", p, "ledgerPeakBytes");
      md.append(String.format(Locale.ROOT, "| %,d | %.1f | %.1f | %.3f s | %.1f | %.1f |%n", (long) n, insert, sub,
          sub / 1000 / (n / 1e6), strided, mb(ledger)));
      chart.computeIfAbsent("insert", k -> new ArrayList<>()).add(new double[] {n, insert});
      chart.computeIfAbsent("submanifold 27", k -> new ArrayList<>()).add(new double[] {n, sub});
      chart.computeIfAbsent("strided 8", k -> new ArrayList<>()).add(new double[] {n, strided});
    }
    ResultCharts.lines("Hashing and kernel maps against sites", "sites", "time (ms)", true, true, chart,
        dir.resolve("kernel-maps.png"));
    md.append("\n![kernel maps](kernel-maps.png)\n\n");
  }

  /** The seed's GPU figures (GB, net of its 1.45 GB CUDA floor): sparse train, dense train at 64, 128, 256, 512. */
  private static final double[][] SEED = {{0.06, 0.18, 1.28, 9.85}, {0.20, 0.45, 3.36, Double.NaN}};
  /** The seed's test (inference) figures the same way: sparse, dense. */
  private static final double[][] SEED_TEST = {{0.00, 0.06, 0.44, 1.35}, {0.22, 0.37, 1.24, Double.NaN}};

  private void training(List<String> lines) throws IOException {
    md.append("## 2. The completion network's training step (CompletionNet CH1, and CH2 where marked, skull of the head CT, batch 1)\n\n");
    if (lines.isEmpty()) {
      md.append("Skipped: the head CT (`apt-get install invesalius-examples`) was not installed.\n\n");
      return;
    }
    md.append("One Adam (amsgrad) step, a fresh JVM per point; \"teacher\" prunes to the target's sites, \"own\" is the "
        + "untrained network's own pruning, \"+infer\" one forward pass without tape or optimizer (pruned to the target's "
        + "sites). \"dense\" is the network's dense twin in ND4J's SameDiff (`DenseCompletionTwin`: the same layers and "
        + "parameters on full grids, no pruning, one AMSGrad step with SameDiff's autodiff), measured the same way; its "
        + "\"activations\" column is the shape arithmetic of what a dense network must keep (`DenseTwinMemory`, "
        + "no im2col workspace: a lower bound for any dense library). The seed's figures are its GPU measurements net "
        + "of its 1.45 GB floor.\n\n");
    md.append("| R | mode | input sites | peak RSS net GB | ledgers' peak GB | step s | dense twin activations GB (computed) "
        + "| computed dense activations / this row | seed: sparse / dense GB (train, or test for +infer) |\n|---|---|---|---|---|---|---|---|---|\n");
    Map<String, List<double[]>> chart = new LinkedHashMap<>();
    Map<Integer, Double> teacherRss = new LinkedHashMap<>();
    Map<Integer, Double> denseRss = new LinkedHashMap<>();
    for (String l : lines) {
      if (l.contains("\"error\"")) {
        md.append("| ").append(l).append(" ||||||||\n");
        continue;
      }
      int r = (int) number(l, "R");
      String mode = text(l, "mode");
      double rss = number(l, "peakRssNetBytes");
      boolean inference = mode.contains("infer");
      boolean dense = mode.startsWith("dense");
      int[] channels = mode.contains("ch2") ? org.jsparse.nn.models.CompletionNet.CH2
          : org.jsparse.nn.models.CompletionNet.CH1;
      double computed = inference ? DenseTwinMemory.inferenceBytes(r, channels) : DenseTwinMemory.activationBytes(r, channels);
      int col = Integer.numberOfTrailingZeros(r) - 6;
      double[][] seedRows = inference ? SEED_TEST : SEED;
      String seed = mode.contains("ch2") ? "-" : col >= 0 && col < 4 ? String.format(Locale.ROOT, "%.2f / %s", seedRows[0][col],
          Double.isNaN(seedRows[1][col]) ? "infeasible" : String.format(Locale.ROOT, "%.2f", seedRows[1][col])) : "-";
      md.append(String.format(Locale.ROOT, "| %d | %s | %,d | %.3f | %s | %.1f | %.2f | %.1fx | %s |%n", r,
          dense ? mode + " (SameDiff)" : mode, (long) number(l, "inputSites"), rss / 1e9,
          dense ? "-" : String.format(Locale.ROOT, "%.3f", number(l, "ledgersPeakBytes") / 1e9), number(l, "stepSeconds"),
          computed / 1e9, computed / rss, seed));
      chart.computeIfAbsent((dense ? "dense twin, " : "sparse, ") + mode + " (measured)", k -> new ArrayList<>())
          .add(new double[] {r, rss / 1e6});
      if (mode.equals("teacher")) {
        teacherRss.put(r, rss);
        chart.computeIfAbsent("dense twin training (activations, computed)", k -> new ArrayList<>())
            .add(new double[] {r, computed / 1e6});
      } else if (mode.equals("dense")) {
        denseRss.put(r, rss);
      }
    }
    md.append("\n");
    for (var e : denseRss.entrySet()) {
      if (teacherRss.containsKey(e.getKey())) {
        md.append(String.format(Locale.ROOT, "- %d^3 measured: the SameDiff dense twin's training step takes %.0fx the "
            + "sparse network's process memory (%.2f vs %.3f GB net); its activations alone (computed) %.1fx.%n", e.getKey(),
            e.getValue() / teacherRss.get(e.getKey()), e.getValue() / 1e9, teacherRss.get(e.getKey()) / 1e9,
            DenseTwinMemory.activationBytes(e.getKey(), org.jsparse.nn.models.CompletionNet.CH1) / teacherRss.get(e.getKey())));
      }
    }
    if (teacherRss.containsKey(256)) {
      double computed = DenseTwinMemory.activationBytes(256, org.jsparse.nn.models.CompletionNet.CH1);
      String measured = denseRss.containsKey(128) && teacherRss.containsKey(128) ? String.format(Locale.ROOT,
          "; the SameDiff twin, from its measured %.1f GB at 128^3 times 8, about %.0f GB, %.0fx", denseRss.get(128) / 1e9,
          8 * denseRss.get(128) / 1e9, 8 * denseRss.get(128) / teacherRss.get(256)) : "";
      md.append(String.format(Locale.ROOT, "- 256^3: sparse training %.0fx below the dense twin's activations (computed)%s "
          + "(goal: >= 10x).%n", computed / teacherRss.get(256), measured));
    }
    if (teacherRss.containsKey(256) && teacherRss.containsKey(512)) {
      md.append(String.format(Locale.ROOT, "- x8 voxels from 256^3 to 512^3: sparse memory x%.2f (goal: under x4).%n",
          teacherRss.get(512) / teacherRss.get(256)));
    }
    md.append(String.format(Locale.ROOT, "- 512^3 dense: %.0f GB of activations alone (computed): it does not fit in 24 GB.%n",
        DenseTwinMemory.activationBytes(512, org.jsparse.nn.models.CompletionNet.CH1) / 1e9));
    ResultCharts.lines("Training step of the completion network", "R (grid side)", "memory (MB)", true, true, chart,
        dir.resolve("training-memory.png"));
    md.append("\n![training memory](training-memory.png)\n\n");
  }

  /** The seed's CH1 process memory (GB, GPU, floor included) at 64^3 against batch size. */
  private static final Map<Integer, Double> SEED_BATCH = Map.of(2, 1.5119, 3, 1.5494, 4, 1.5780, 8, 1.7151, 16, 2.1180,
      32, 3.8395);

  private void batches(List<String> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    md.append("## 2b. Memory against batch size (64^3, one training step, teacher forcing)\n\n");
    md.append("Batch items are copies of the skull, mirrored left-right on odd items. Batch 1 is not in the table: at 64^3 "
        + "the coarsest level has one site, and batch norm needs two (the seed's table also starts at 2). The seed's "
        + "figures are its process memory on the GPU, floor included (about 1.45 GB of it).\n\n");
    md.append("| batch | network | input sites | peak RSS net GB | ledgers' peak GB | step s | seed GB (CH1, with floor) |\n"
        + "|---|---|---|---|---|---|---|\n");
    Map<String, List<double[]>> chart = new LinkedHashMap<>();
    for (String l : lines) {
      if (l.contains("\"error\"")) {
        md.append("| ").append(l).append(" ||||||\n");
        continue;
      }
      String mode = text(l, "mode");
      int batch = (int) number(l, "batch");
      boolean dense = mode.startsWith("dense");
      String network = (mode.contains("ch2") ? "CH2" : "CH1") + (dense ? " dense twin (SameDiff)" : " sparse");
      double rss = number(l, "peakRssNetBytes");
      Double seed = mode.contains("ch2") || dense ? null : SEED_BATCH.get(batch);
      md.append(String.format(Locale.ROOT, "| %d | %s | %,d | %.3f | %s | %.1f | %s |%n", batch, network,
          (long) number(l, "inputSites"), rss / 1e9,
          dense ? "-" : String.format(Locale.ROOT, "%.3f", number(l, "ledgersPeakBytes") / 1e9), number(l, "stepSeconds"),
          seed == null ? "-" : String.format(Locale.ROOT, "%.2f", seed)));
      chart.computeIfAbsent(network, k -> new ArrayList<>()).add(new double[] {batch, rss / 1e6});
    }
    ResultCharts.lines("Training memory against batch size, 64^3", "batch size", "peak RSS net (MB)", true, true, chart,
        dir.resolve("batch-memory.png"));
    md.append("\n![batch memory](batch-memory.png)\n\n");
  }

  private void depth(List<String> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    md.append("## 4. Training memory against depth (residual blocks of two 3x3x3 convs, C = 16, procedural skull shell)\n\n");
    md.append("| blocks | variant | ledger peak MB | step s | gradient error vs plain |\n|---|---|---|---|---|\n");
    Map<String, List<double[]>> chart = new LinkedHashMap<>();
    for (String l : lines) {
      md.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %.2f | %.1e |%n", (int) number(l, "blocks"),
          text(l, "variant"), mb(number(l, "peakBytes")), number(l, "seconds"), number(l, "gradientError")));
      chart.computeIfAbsent(text(l, "variant"), k -> new ArrayList<>())
          .add(new double[] {number(l, "blocks"), mb(number(l, "peakBytes"))});
    }
    ResultCharts.lines("Peak training memory against depth", "residual blocks", "ledger peak (MB)", true, true, chart,
        dir.resolve("depth-memory.png"));
    md.append("\n![depth memory](depth-memory.png)\n\n");
  }
}
