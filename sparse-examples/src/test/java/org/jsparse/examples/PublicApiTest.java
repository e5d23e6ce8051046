package org.jsparse.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The examples and the benchmarks are written as a user would write them: against the library's
 * API only, never its internals ({@code org.jsparse.core.internal}, the CPU backend's classes).
 * Every reference to another package is an import or a qualified name, so reading the sources
 * finds every one.
 */
class PublicApiTest {
  private static final Pattern INTERNAL =
      Pattern.compile("org\\.jsparse\\.(core\\.internal|core\\.backend\\.cpu|[a-z.]+\\.internal)\\b");

  private static List<String> internalReferences(Path sourceRoot) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = INTERNAL.matcher(lines.get(i));
          if (m.find()) {
            found.add(sourceRoot.relativize(f) + ":" + (i + 1) + " uses " + m.group());
          }
        }
      }
    }
    return found;
  }

  @Test
  void examplesAndBenchmarksUseOnlyTheApi() throws IOException {
    for (Path root : List.of(Path.of("src", "main", "java"), Path.of("..", "benchmarks", "src", "main", "java"))) {
      assertTrue(Files.isDirectory(root), root.toAbsolutePath() + " is where the sources should be");
      assertEquals(List.of(), internalReferences(root), "internal packages used under " + root);
    }
  }

  @Test
  void theCheckFindsAnInternalReference() throws IOException {
    Path dir = Files.createTempDirectory("api-check");
    try {
      Files.writeString(dir.resolve("Uses.java"), "import org.jsparse.core.internal.NativeInts;\nclass Uses {}\n");
      assertEquals(1, internalReferences(dir).size());
    } finally {
      Files.delete(dir.resolve("Uses.java"));
      Files.delete(dir);
    }
  }
}
