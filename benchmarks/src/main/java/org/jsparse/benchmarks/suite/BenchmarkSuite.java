package org.jsparse.benchmarks.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsparse.benchmarks.DenseLayerCase;
import org.jsparse.benchmarks.DenseVsSparseLayerBenchmark;
import org.jsparse.benchmarks.KernelMapScalingBenchmark;
import org.jsparse.benchmarks.layer.LayerMemoryRunner;
import org.jsparse.benchmarks.training.TrainingMemoryRunner;
import org.jsparse.examples.memory.TrainingMemory;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The whole benchmark suite in one command, then its results page: (1) one layer, sparse against
 * ND4J's dense conv3d, memory (one JVM per point) and time (JMH, memory as auxiliary counters),
 * on random sites and on the real skull and brain shells, (2) the skull-completion network's
 * training step and inference against resolution beside its SameDiff dense twin (one JVM per
 * point; needs the head CT of {@code invesalius-examples}, skipped without it), (3) coordinate
 * hashing and kernel-map builds against the number of sites (JMH), (4) memory against batch size,
 * sparse CH1 and CH2 and the dense twin, (5) peak training memory against depth with and without
 * checkpointing and invertible blocks. Raw results are JSON lines in the output
 * folder; {@link SuiteReport} turns them into {@code results.md} and PNG charts there.
 *
 * <p>HOW TO RUN: {@code java -cp benchmarks/target/benchmarks.jar org.jsparse.benchmarks.suite.BenchmarkSuite
 * [--quick] [--out benchmark-results]}: 21 minutes on 2 cores (measured), 3 with {@code --quick}.
 */
public final class BenchmarkSuite {
  private BenchmarkSuite() {}

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    Path out = Path.of("benchmark-results");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--out") && i + 1 < args.length) {
        out = Path.of(args[++i]);
      } else if (!args[i].equals("--quick") && (i == 0 || !args[i - 1].equals("--out"))) {
        System.err.println("usage: BenchmarkSuite [--quick] [--out folder]; unknown argument " + args[i]);
        System.exit(2);
      }
    }
    Files.createDirectories(out);
    long started = System.nanoTime();

    step(1, "one layer's memory, sparse and dense (a JVM per point)");
    List<String> layerMemory = new ArrayList<>();
    String[] occupancies = quick ? new String[] {"0.005", "0.1", "0.3"} : new String[] {"0.005", "0.02", "0.1", "0.3"};
    for (String size : quick ? new String[] {"32", "64"} : new String[] {"32", "64", "128"}) {
      for (String c : quick ? new String[] {"16"} : new String[] {"16", "32"}) {
        for (String occupancy : occupancies) {
          layerMemory.add(LayerMemoryRunner.point(size, occupancy, c, "sparse"));
        }
        // the dense layer holds the whole grid whatever the occupancy: measured once, listed at every occupancy
        String dense = LayerMemoryRunner.point(size, occupancies[0], c, "dense");
        for (String occupancy : occupancies) {
          layerMemory.add(dense.replace("\"occupancy\":" + occupancies[0], "\"occupancy\":" + occupancy
              + ",\"measuredAtOccupancy\":" + occupancies[0]));
        }
      }
    }
    for (String size : quick ? new String[] {"64"} : new String[] {"64", "128"}) {
      for (String volume : REAL_SHELLS) {
        for (String c : quick ? new String[] {"16"} : new String[] {"16", "32"}) {
          layerMemory.add(LayerMemoryRunner.point(size, "0", c, "sparse", volume));
        }
      }
    }
    Files.write(out.resolve("layer-memory.jsonl"), layerMemory);

    step(2, "one layer's time, sparse and dense (JMH; the dense layer at one occupancy: its time does not depend on it)");
    String[] sizes = quick ? new String[] {"32"} : new String[] {"32", "64"};
    String[] channels = quick ? new String[] {"16"} : new String[] {"16", "32"};
    List<String> layerTime = new ArrayList<>();
    layerTime.addAll(lines(new Runner(jmh(DenseVsSparseLayerBenchmark.class.getName() + "\\.sparse", quick)
        .param("size", sizes).param("channels", channels).param("occupancy", occupancies).build()).run()));
    List<String> denseTime = lines(new Runner(jmh(DenseVsSparseLayerBenchmark.class.getName() + "\\.dense", quick)
        .param("size", sizes).param("channels", channels).param("occupancy", "0.1").build()).run());
    for (String line : denseTime) {
      for (String occupancy : occupancies) {
        layerTime.add(line.replace("\"occupancy\":0.1", "\"occupancy\":" + occupancy + ",\"measuredAtOccupancy\":0.1"));
      }
    }
    // the real shells at their own occupancy; ND4J's dense time is the random rows' (the grid's, whatever the occupancy)
    for (String size : sizes) {
      List<String> real = lines(new Runner(jmh(DenseVsSparseLayerBenchmark.class.getName() + "\\.sparse", quick)
          .param("size", size).param("channels", channels).param("occupancy", "0").param("volume", REAL_SHELLS)
          .build()).run());
      for (String volume : REAL_SHELLS) {
        double occupancy = DenseLayerCase.sites(Integer.parseInt(size), 0, volume).size() / Math.pow(Integer.parseInt(size), 3);
        for (String line : real) {
          if (line.contains("\"volume\":\"" + volume + "\"")) {
            layerTime.add(line.replace("\"occupancy\":0,", String.format(Locale.ROOT, "\"occupancy\":%.5f,", occupancy)));
          }
        }
      }
    }
    Files.write(out.resolve("layer-time.jsonl"), layerTime);

    step(3, "coordinate hashing and kernel maps against sites (JMH)");
    ChainedOptionsBuilder maps = jmh(KernelMapScalingBenchmark.class.getName() + "\\.", quick)
        .param("sites", quick ? new String[] {"10000", "100000"} : new String[] {"10000", "100000", "1000000"});
    Files.write(out.resolve("kernel-maps.jsonl"), lines(new Runner(maps.build()).run()));

    step(4, "the completion network's training step against resolution (a JVM per point)");
    Path ct = Path.of(System.getProperty("jsparse.ct", "/usr/share/doc/invesalius-examples/examples/Cranium.inv3"));
    List<String> training = new ArrayList<>();
    if (Files.exists(ct)) {
      for (int r : quick ? new int[] {128} : new int[] {128, 256, 512}) {
        training.addAll(TrainingMemoryRunner.points(ct, r, quick ? new String[] {"teacher", "teacher+infer", "dense+infer"}
            : r == 128 ? new String[] {"teacher", "own", "teacher+infer", "teacher+ch2", "dense", "dense+infer"}
            : r == 256 ? new String[] {"teacher", "own", "teacher+infer", "teacher+ch2"}
            : new String[] {"teacher", "own", "teacher+infer"}));
      }
    } else {
      System.out.println("  skipped: no head CT at " + ct + " (apt-get install invesalius-examples)");
    }
    Files.write(out.resolve("training-memory.jsonl"), training);

    step(5, "memory against batch size at 64^3, sparse and the SameDiff dense twin (a JVM per point)");
    List<String> batches = new ArrayList<>();
    if (Files.exists(ct)) {
      List<String> modes = new ArrayList<>();
      for (int b : quick ? new int[] {2, 8} : new int[] {2, 4, 8, 16, 32}) {
        modes.add("teacher+b" + b);
      }
      for (int b : quick ? new int[] {2} : new int[] {2, 4, 8}) {
        modes.add("dense+b" + b);
      }
      for (int b : quick ? new int[0] : new int[] {2, 4, 8}) {
        modes.add("teacher+ch2+b" + b);
      }
      batches.addAll(TrainingMemoryRunner.points(ct, 64, modes.toArray(new String[0])));
    } else {
      System.out.println("  skipped: no head CT at " + ct + " (apt-get install invesalius-examples)");
    }
    Files.write(out.resolve("batch-memory.jsonl"), batches);

    step(6, "training memory against depth: plain, checkpointed, invertible");
    List<String> depth = new ArrayList<>();
    int size = quick ? 48 : 64;
    for (int blocks : quick ? new int[] {4, 8} : new int[] {4, 8, 16, 32}) {
      for (TrainingMemory.Row row : TrainingMemory.run(size, blocks, 16, 4, new java.io.PrintStream(
          java.io.OutputStream.nullOutputStream()))) {
        depth.add(String.format(Locale.ROOT, "{\"size\":%d,\"blocks\":%d,\"variant\":\"%s\",\"peakBytes\":%d,"
            + "\"seconds\":%.3f,\"gradientError\":%.3e}", size, blocks, row.variant(), row.peakBytes(), row.seconds(),
            row.gradientError()));
      }
    }
    Files.write(out.resolve("depth-memory.jsonl"), depth);

    double minutes = (System.nanoTime() - started) / 6e10;
    SuiteReport.write(out, quick, minutes);
    System.out.printf(Locale.ROOT, "suite done in %.1f min: %s%n", minutes, out.resolve("results.md"));
  }

  /** The real shells of DATA.md the layer suite runs beside its random sites. */
  private static final String[] REAL_SHELLS = {"skull", "brain"};

  private static void step(int n, String what) {
    System.out.printf("[%d/6] %s%n", n, what);
  }

  /** JMH options for one benchmark class: fewer, shorter iterations with {@code quick}; memory as auxiliary counters. */
  private static ChainedOptionsBuilder jmh(String include, boolean quick) {
    ChainedOptionsBuilder b = new OptionsBuilder().include(include).forks(1);
    if (quick) {
      b.warmupIterations(1).measurementIterations(2);
    } else {
      b.warmupIterations(1).measurementIterations(3);
    }
    return b.warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(quick ? 1 : 2));
  }

  /** One JSON line per JMH result: benchmark, parameters, score and error, auxiliary counters. */
  static List<String> lines(Collection<RunResult> results) {
    List<String> lines = new ArrayList<>();
    for (RunResult r : results) {
      StringBuilder s = new StringBuilder("{\"benchmark\":\"");
      String name = r.getParams().getBenchmark();
      s.append(name.substring(name.lastIndexOf('.') + 1)).append('"');
      for (String key : r.getParams().getParamsKeys()) {
        String value = r.getParams().getParam(key);
        boolean number = value.matches("-?[0-9.eE+-]+");
        s.append(",\"").append(key).append("\":").append(number ? value : "\"" + value + "\"");
      }
      Result<?> p = r.getPrimaryResult();
      s.append(String.format(Locale.ROOT, ",\"score\":%.6f,\"error\":%.6f,\"unit\":\"%s\"", p.getScore(),
          Double.isNaN(p.getScoreError()) ? 0 : p.getScoreError(), p.getScoreUnit()));
      for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
        s.append(String.format(Locale.ROOT, ",\"%s\":%.1f", e.getKey(), e.getValue().getScore()));
      }
      lines.add(s.append('}').toString());
    }
    return lines;
  }
}
