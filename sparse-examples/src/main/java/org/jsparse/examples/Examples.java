package org.jsparse.examples;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jsparse.examples.memory.TrainingMemory;
import org.jsparse.examples.skull.SkullCompletion;

/**
 * Command line of the examples: {@code java -jar sparse-examples.jar skull [--size 32] [--train 4]
 * [--epochs 15] [--lr 0.01] [--seed 1] [--save file]} trains the completion network on procedural
 * skulls; {@code memory [--size 96] [--blocks 16] [--channels 16] [--segment 4]} measures training
 * memory with and without checkpointing and inversion.
 */
public final class Examples {
  private Examples() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !(args[0].equals("skull") || args[0].equals("memory"))) {
      System.err.println("usage: skull [--size N] [--train K] [--epochs E] [--lr R] [--seed S] [--save FILE]\n"
          + "       memory [--size N] [--blocks B] [--channels C] [--segment S]");
      System.exit(2);
    }
    Map<String, String> opt = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("options come as --name value pairs; got '" + args[i] + "'");
      }
      opt.put(args[i].substring(2), args[i + 1]);
    }
    if (args[0].equals("memory")) {
      TrainingMemory.run(Integer.parseInt(opt.getOrDefault("size", "96")), Integer.parseInt(opt.getOrDefault("blocks", "16")),
          Integer.parseInt(opt.getOrDefault("channels", "16")), Integer.parseInt(opt.getOrDefault("segment", "4")), System.out);
      return;
    }
    SkullCompletion.Settings s = new SkullCompletion.Settings(
        Integer.parseInt(opt.getOrDefault("size", "32")),
        Integer.parseInt(opt.getOrDefault("train", "4")),
        Integer.parseInt(opt.getOrDefault("epochs", "15")),
        Double.parseDouble(opt.getOrDefault("lr", "0.01")),
        Long.parseLong(opt.getOrDefault("seed", "1")),
        opt.containsKey("save") ? Path.of(opt.get("save")) : null);
    SkullCompletion.run(s, System.out);
  }
}
