package org.jsparse.examples;

import java.util.Arrays;
import org.jsparse.examples.cli.CtSkullCommand;
import org.jsparse.examples.cli.DeviceCheckCommand;
import org.jsparse.examples.cli.MemoryCommand;
import org.jsparse.examples.cli.SkullCommand;
import org.jsparse.examples.cli.UlmCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The examples' command line: {@code java -jar sparse-examples.jar <example> [options]}, with
 * {@code --help} on every level. Options are checked before any work starts (unknown options,
 * bad values and unwritable output folders end the run at once with one line and exit code 2).
 */
@Command(name = "sparse-examples", mixinStandardHelpOptions = true, version = "jsparse examples 0.1.0",
    description = "Example networks of the jsparse library, end to end on data they make themselves.",
    subcommands = {UlmCommand.class, CtSkullCommand.class, SkullCommand.class, MemoryCommand.class,
        DeviceCheckCommand.class, CommandLine.HelpCommand.class})
public final class Examples implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name an example: ulm, ct-skull, skull, memory or device-check (see --help)");
  }

  /** Runs the command line and returns its exit code (0 done, 1 failed while running, 2 bad usage). */
  public static int execute(String... args) {
    return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** As {@link #execute(String...)}, with help and usage errors written to {@code out} and {@code err}. */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cmd = new CommandLine(new Examples());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setParameterExceptionHandler((e, given) -> {
      // one line that says what was wrong and where the help is, not the whole usage text
      e.getCommandLine().getErr().println(e.getMessage() + " (see: " + e.getCommandLine().getCommandSpec().qualifiedName()
          + " --help)");
      return 2;
    });
    return cmd.execute(args);
  }

  public static void main(String[] args) {
    if (!Arrays.asList(args).contains("--verbose")) {
      // ND4J announces its backend in a dozen INFO lines at start-up; keep them for --verbose
      System.setProperty("org.slf4j.simpleLogger.log.org.nd4j", "warn");
      System.setProperty("org.slf4j.simpleLogger.log.org.nd4j.linalg.factory.Nd4jBackend", "warn");
      // and the CPU backend's one line about BLAS threads (warnings still show)
      System.setProperty("org.slf4j.simpleLogger.log.org.jsparse.core.backend", "warn");
    }
    System.exit(execute(args));
  }
}
