package org.jsparse.benchmarks.training;

import org.jsparse.benchmarks.PointJvm;
import org.jsparse.examples.ct.SkullRecipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The measuring stick of training memory: for each resolution and mode, builds the skull once,
 * then runs {@link TrainingStepPoint} in a fresh JVM (default JVM options plus any given in
 * {@code -Djsparse.pointJvmArgs}) and prints its JSON line: modes starting {@code dense} run the
 * SameDiff twin ({@link DenseTwinPoint}), the others the sparse network ({@link TrainingStepPoint}).
 *
 * <p>Usage: {@code TrainingMemoryRunner [R,R,...] [teacher,own]} (defaults 64,128,256,512 and both).
 */
public final class TrainingMemoryRunner {
  private TrainingMemoryRunner() {}

  public static void main(String[] args) throws Exception {
    String[] sizes = (args.length > 0 ? args[0] : "64,128,256,512").split(",");
    String[] modes = (args.length > 1 ? args[1] : "teacher,own").split(",");
    Path ct = Path.of(System.getProperty("jsparse.ct", "/usr/share/doc/invesalius-examples/examples/Cranium.inv3"));
    if (!Files.exists(ct)) {
      System.err.println("the head CT is missing at " + ct + "; install it with: apt-get install invesalius-examples");
      System.exit(2);
    }
    for (String size : sizes) {
      for (String line : points(ct, Integer.parseInt(size.trim()), modes)) {
        System.out.println(line);
      }
    }
  }

  /** The points of one grid size R, one fresh JVM per mode: their JSON lines. */
  public static List<String> points(Path ct, int r, String[] modes) throws IOException, InterruptedException {
    Path file = Files.createTempFile("skull-" + r + "-", ".bin");
    try {
      SkullRecipe.Skull skull = SkullRecipe.build(ct, r);
      TrainingStepPoint.write(file, skull);
      List<String> lines = new java.util.ArrayList<>();
      for (String mode : modes) {
        lines.add(runPoint(file, mode.trim()));
      }
      return lines;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static String runPoint(Path skull, String mode) throws IOException, InterruptedException {
    String extra = System.getProperty("jsparse.pointJvmArgs", "").trim();
    List<String> options = extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    Class<?> point = mode.startsWith("dense") ? DenseTwinPoint.class : TrainingStepPoint.class;
    PointJvm.Outcome o = PointJvm.run(options, point, true, skull.toString(), mode);
    return o.orElse("{\"skull\":\"" + skull.getFileName() + "\",\"mode\":\"" + mode + "\",\"error\":\"exit "
        + o.exitCode() + "\"}");
  }
}
