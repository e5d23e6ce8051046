package org.jsparse.benchmarks.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads this process's memory figures from {@code /proc/self/status} and {@code /proc/self/stat} (Linux). */
public final class ProcStatus {
  private ProcStatus() {}

  /** A {@code kB} field such as {@code VmRSS} or {@code VmHWM}. */
  public static long kib(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException(field + " not in /proc/self/status (Linux only)");
  }

  /** Minor page faults so far (field 10 of {@code /proc/self/stat}): pages the process touched for the first time. */
  public static long minorFaults() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(after[7]); // fields from 3 on; minflt is field 10
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
