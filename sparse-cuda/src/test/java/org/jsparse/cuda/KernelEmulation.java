package org.jsparse.cuda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Builds and runs the programs of {@code src/test/cpp}: each compiles a {@code .cu} source of the
 * module with g++ and {@code cuda_emulation.h}, reads one problem from stdin and writes its answer.
 * A run that does not finish in two minutes (a kernel whose barriers no longer match) is killed and
 * fails the test rather than hanging it.
 */
final class KernelEmulation {
  private static final long TIMEOUT_SECONDS = 120;

  private KernelEmulation() {}

  /** Compiles {@code src/test/cpp/<program>.cpp}, or returns null (with the reason on stderr) where its sources or g++ are missing. */
  static Path compile(Path workDir, String program) {
    Path source = Path.of("src/test/cpp/" + program + ".cpp");
    if (!Files.exists(source)) { // run outside the module (a GPU bundle)
      System.err.println("the kernel emulation's sources are not here: the CPU check of the CUDA kernels is skipped");
      return null;
    }
    Path exe = workDir.resolve(program);
    try {
      Process p = new ProcessBuilder("g++", "-std=c++20", "-O1", "-pthread", "-I", "src/main/cuda", "-o",
          exe.toString(), source.toString()).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("g++ failed to compile " + source + ":\n" + log);
      }
      return exe;
    } catch (IOException e) {
      System.err.println("no g++ here (" + e.getMessage() + "): the CPU check of the CUDA kernels is skipped");
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code executable} on {@code input}; its stdout. */
  static String run(Path executable, String input) {
    try {
      Path inFile = Files.createTempFile("kernel-emulation-in", ".txt");
      Path outFile = Files.createTempFile("kernel-emulation-out", ".txt");
      Path errFile = Files.createTempFile("kernel-emulation-err", ".txt");
      try {
        Files.writeString(inFile, input);
        Process p = new ProcessBuilder(executable.toString()).redirectInput(inFile.toFile())
            .redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(executable.getFileName() + " did not finish in " + TIMEOUT_SECONDS
              + " s: a kernel's threads wait at barriers that do not match");
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(executable.getFileName() + " failed (" + p.exitValue() + "): "
              + Files.readString(errFile));
        }
        return Files.readString(outFile);
      } finally {
        Files.deleteIfExists(inFile);
        Files.deleteIfExists(outFile);
        Files.deleteIfExists(errFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
