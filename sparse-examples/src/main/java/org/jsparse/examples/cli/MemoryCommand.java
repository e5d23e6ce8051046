package org.jsparse.examples.cli;

import java.util.concurrent.Callable;
import org.jsparse.examples.memory.TrainingMemory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code memory}: training memory of a deep residual network, plain, checkpointed and invertible. */
@Command(name = "memory", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Peak training memory of a deep sparse residual network trained plainly, with checkpointed "
        + "segments and as an invertible chain, with each variant's gradients compared with plain backprop.")
public final class MemoryCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--size", defaultValue = "96", description = "skull shell grid side, 16..512 (default: ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--blocks", defaultValue = "16", description = "residual blocks (default: ${DEFAULT-VALUE})")
  int blocks;

  @Option(names = "--channels", defaultValue = "16", description = "channels (default: ${DEFAULT-VALUE})")
  int channels;

  @Option(names = "--segment", defaultValue = "4", description = "blocks per checkpointed segment (default: ${DEFAULT-VALUE})")
  int segment;

  @Option(names = "--verbose", description = "show the libraries' start-up logs")
  boolean verbose;

  @Override
  public Integer call() {
    if (size < 16 || size > 512 || blocks < 1 || channels < 1 || segment < 1 || segment > blocks) {
      throw new CommandLine.ParameterException(spec.commandLine(), "need --size in 16..512, --blocks, --channels >= 1 "
          + "and --segment in 1..blocks; got " + size + ", " + blocks + ", " + channels + ", " + segment);
    }
    TrainingMemory.run(size, blocks, channels, segment, System.out);
    return 0;
  }
}
