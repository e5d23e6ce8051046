package org.jsparse.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** The one folder an example writes its outputs to, made and checked writable before any work starts. */
final class OutputFolder {
  private OutputFolder() {}

  /** Creates {@code dir} if needed and proves it writable; a problem is a usage error naming the folder. */
  static Path prepare(CommandLine cmd, Path dir) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
      Files.delete(probe);
      return dir;
    } catch (IOException | SecurityException e) {
      throw new CommandLine.ParameterException(cmd, "cannot write to the output folder " + dir.toAbsolutePath() + " ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }
  }
}
