package org.jsparse.examples.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsparse.examples.Examples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code device-check}: the CPU against itself agrees exactly; on a machine with a CUDA device,
 * CompletionNet CH1 training steps there agree with the CPU's within float tolerance (skipped
 * without one); a disagreement is reported as one; bad options are refused.
 */
class DeviceCheckTest {
  /** True when a CUDA backend can be opened here. */
  static boolean gpuPresent() {
    try (org.jsparse.core.backend.Backend gpu = org.jsparse.core.backend.Backends.get("cuda", 0)) {
      return gpu != null;
    } catch (RuntimeException | LinkageError e) {
      System.err.println("the GPU device-check is skipped: " + e.getMessage());
      return false;
    }
  }

  @Test
  @org.junit.jupiter.api.condition.EnabledIf(value = "gpuPresent", disabledReason = "no CUDA device here")
  void completionNetStepsOnTheGpuAgreeWithTheCpu() throws Exception {
    StringWriter err = new StringWriter();
    Path out = dir.resolve("gpu");
    int code = Examples.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "device-check",
        "--device", "cuda", "--size", "96", "--steps", "2", "--out", out.toString());
    assertEquals(0, code, err.toString());
    String metrics = Files.readString(out.resolve("metrics.json"));
    assertTrue(metrics.contains("\"agrees\":true"), metrics);
  }

  @TempDir
  Path dir;

  @Test
  void theCpuAgreesWithItselfBitForBit() throws Exception {
    StringWriter err = new StringWriter();
    Path out = dir.resolve("check");
    int code = Examples.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "device-check",
        "--device", "cpu", "--size", "96", "--steps", "2", "--out", out.toString());
    assertEquals(0, code, err.toString());
    String metrics = Files.readString(out.resolve("metrics.json"));
    assertTrue(metrics.contains("\"agrees\":true") && metrics.contains("\"maxLossDifference\":0.000e+00"), metrics);
  }

  @Test
  void aDifferenceBeyondFloatToleranceIsADisagreement() {
    DeviceCheck.Run run = new DeviceCheck.Run("x", List.of(1.0), List.of(0.1), 0, 0, List.of());
    assertTrue(new DeviceCheck.Comparison(run, run, 1, 1, 1e-4, 1e-4).agrees());
    assertFalse(new DeviceCheck.Comparison(run, run, 1, 1, 2e-3, 0).agrees(), "losses apart");
    assertFalse(new DeviceCheck.Comparison(run, run, 1, 1, 0, 2e-3).agrees(), "parameters apart");
  }

  @Test
  void aGridTooSmallForTheNetworkIsRefusedBeforeAnyWork() {
    StringWriter err = new StringWriter();
    int code = Examples.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "device-check",
        "--size", "64", "--out", dir.resolve("no").toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("--size in 96..512"), err.toString());
    assertFalse(Files.exists(dir.resolve("no")));
  }
}
