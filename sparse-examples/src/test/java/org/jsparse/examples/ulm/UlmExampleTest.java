package org.jsparse.examples.ulm;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.junit.jupiter.api.AfterEach;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short ULM run learns: its loss falls and its dense-crowd angiogram beats an untrained network's. */
class UlmExampleTest {
  private final Backend cpu = Backends.cpu();

  @AfterEach
  void closeBackend() {
    cpu.close();
  }

  @TempDir
  Path dir;

  @Test
  void aShortRunLearnsAndWritesItsModel() throws Exception {
    UlmExample.Settings trained = new UlmExample.Settings(2, 12, 64, 60, 0.01, 2, 0.25, 0, 20, 2, dir, cpu);
    UlmExample.Result r = UlmExample.run(trained, System.out, null);
    assertTrue(r.lastLoss() < 0.8 * r.firstLoss(), "loss " + r.firstLoss() + " -> " + r.lastLoss());
    assertTrue(Files.size(dir.resolve("model.ckpt")) > 1000);
    Path other = Files.createDirectories(dir.resolve("untrained"));
    UlmExample.Result untrained = UlmExample.run(new UlmExample.Settings(2, 12, 64, 1, 1e-9, 2, 0.25, 0, 20, 2, other, cpu),
        System.out, null);
    int last = UlmExample.CONCENTRATIONS.length - 1;
    assertTrue(r.networkDice()[last] > untrained.networkDice()[last] + 0.1,
        "20 bubbles/FOV: trained Dice " + r.networkDice()[last] + " vs untrained " + untrained.networkDice()[last]);
    assertTrue(r.denseActivationBytes() > r.peakTrainingBytes(), "sparse training beats the dense activations");
  }
}
