package org.jsparse.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one measuring point in a JVM of its own (this JVM's java and class path, plus any options
 * given) and returns the last JSON line it printed with its exit code.
 */
public final class PointJvm {
  /** What a point printed last ({@code null} if no JSON line) and how it exited. */
  public record Outcome(String lastJsonLine, int exitCode) {
    /** The JSON line when the point succeeded and printed one, else {@code failure}. */
    public String orElse(String failure) {
      return lastJsonLine != null && exitCode == 0 ? lastJsonLine : failure;
    }
  }

  private PointJvm() {}

  /** {@code mainClass} with {@code args}; the child's stderr goes to this one's when {@code showErrors}. */
  public static Outcome run(List<String> jvmOptions, Class<?> mainClass, boolean showErrors, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd)
        .redirectError(showErrors ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD).start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("{")) {
          last = line;
        }
      }
    }
    return new Outcome(last, p.waitFor());
  }
}
