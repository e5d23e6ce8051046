package org.jsparse.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a new user meets it: help with defaults, one-line refusals before any work, outputs in one folder. */
class ExamplesCliTest {
  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Examples.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpGoesToStandardOutputWithTheDefaults() {
    Run help = run("skull", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("--epochs") && help.out().contains("(default: 15)"), help.out());
    assertEquals("", help.err());
    Run top = run("--help");
    assertEquals(0, top.code());
    assertTrue(top.out().contains("skull") && top.out().contains("memory") && top.out().contains("ulm"), top.out());
    Run ulm = run("ulm", "--help");
    assertEquals(0, ulm.code());
    String ulmHelp = ulm.out().replaceAll("\\s+", " "); // picocli wraps long descriptions
    assertTrue(ulmHelp.contains("--threshold") && ulmHelp.contains("(default: 0.25 in 2D, 0.1 in 3D)")
        && ulmHelp.contains("--steps") && ulmHelp.contains("(default: 600)"), ulm.out());
    Run badUlm = run("ulm", "--width", "3", "--out", dir.resolve("u").toString());
    assertEquals(2, badUlm.code());
    assertTrue(badUlm.err().contains("--width 8..64"), badUlm.err());
  }

  @Test
  void theUlmExampleWritesEveryOutputIntoItsFolder() throws IOException {
    Path out = dir.resolve("ulm");
    Run r = run("ulm", "--width", "8", "--frames", "32", "--steps", "4", "--test-windows", "1", "--threshold", "0.1",
        "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    for (String f : new String[] {"model.ckpt", "metrics.json", "loss.png", "angiograms.png", "angiogram-truth.nii",
        "angiogram-network.nii", "angiogram-localization.nii"}) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    String metrics = Files.readString(out.resolve("metrics.json"));
    assertTrue(metrics.contains("\"dims\":2") && metrics.contains("\"concentration\":20"), metrics);
    assertEquals(352 + 64 * 64, Files.size(out.resolve("angiogram-truth.nii")), "a 64x64x1 uint8 NIfTI");
  }

  @Test
  void badUsageIsRefusedInOneLineBeforeAnyWork() throws IOException {
    Run unknown = run("skull", "--epoch", "1", "--out", dir.resolve("a").toString());
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("Unknown option") && unknown.err().contains("--help"), unknown.err());
    assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
    Run notANumber = run("skull", "--size", "abc");
    assertEquals(2, notANumber.code());
    assertTrue(notANumber.err().contains("'abc' is not an int"), notANumber.err());
    Run negative = run("skull", "--epochs", "-1", "--out", dir.resolve("b").toString());
    assertEquals(2, negative.code());
    assertTrue(negative.err().contains("--epochs must be >= 1"), negative.err());
    Path file = Files.writeString(dir.resolve("taken"), "a file, not a folder");
    Run notAFolder = run("skull", "--out", file.resolve("inside").toString());
    assertEquals(2, notAFolder.code());
    assertTrue(notAFolder.err().contains("cannot write to the output folder"), notAFolder.err());
    assertFalse(Files.exists(dir.resolve("a")) || Files.exists(dir.resolve("b")), "no folder made for a refused run");
    Run noGpu = run("ulm", "--device", "cuda", "--width", "8", "--frames", "32", "--steps", "2", "--test-windows", "1",
        "--out", dir.resolve("c").toString()); // short, in case this machine has a GPU
    if (noGpu.code() == 2) { // this machine has no GPU (or no driver): one line that says so
      assertTrue(noGpu.err().contains("--device cuda") && noGpu.err().contains("cuda"), noGpu.err());
      assertEquals(1, noGpu.err().strip().lines().count(), noGpu.err());
      assertFalse(Files.exists(dir.resolve("c")), "no folder made for a refused device");
    }
    Run badDevice = run("ulm", "--device", "gpu0", "--out", dir.resolve("d").toString());
    assertEquals(2, badDevice.code());
    assertTrue(badDevice.err().contains("--device must be cpu, cuda or cuda:N, got 'gpu0'"), badDevice.err());
    assertEquals(2, run().code(), "no example named");
    assertEquals(2, run("bogus").code());
  }

  @Test
  void aShortRunWritesTheModelAndItsMetricsToTheOutputFolder() throws IOException {
    Path out = dir.resolve("run");
    Run r = run("skull", "--size", "16", "--train", "1", "--epochs", "2", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.size(out.resolve("model.ckpt")) > 1000);
    String metrics = Files.readString(out.resolve("metrics.json"));
    assertTrue(metrics.contains("\"epochLosses\":[") && metrics.contains("\"skullDice\":"), metrics);
    assertEquals(720, javax.imageio.ImageIO.read(out.resolve("loss.png").toFile()).getWidth(), "the loss chart");
  }
}
