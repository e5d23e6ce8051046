package org.jsparse.benchmarks.training;

import org.jsparse.examples.ct.SkullRecipe;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The measuring stick of training memory: for each resolution and mode, builds the skull once,
 * then runs {@link TrainingStepPoint} in a fresh JVM (default JVM options plus any given in
 * {@code -Djsparse.pointJvmArgs}) and prints its JSON line.
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
      int r = Integer.parseInt(size.trim());
      Path file = Files.createTempFile("skull-" + r + "-", ".bin");
      try {
        SkullRecipe.Skull skull = SkullRecipe.build(ct, r);
        TrainingStepPoint.write(file, skull);
        for (String mode : modes) {
          System.out.println(runPoint(file, mode.trim()));
        }
      } finally {
        Files.deleteIfExists(file);
      }
    }
  }

  private static String runPoint(Path skull, String mode) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String extra = System.getProperty("jsparse.pointJvmArgs", "").trim();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainingStepPoint.class.getName(),
        skull.toString(), mode));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("{")) {
          last = line;
        }
      }
    }
    int rc = p.waitFor();
    return last != null && rc == 0 ? last
        : "{\"skull\":\"" + skull.getFileName() + "\",\"mode\":\"" + mode + "\",\"error\":\"exit " + rc + "\"}";
  }
}
