package org.jsparse.examples.skull;

import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.junit.jupiter.api.AfterEach;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkullCompletionTest {
  private final Backend cpu = Backends.cpu();

  @AfterEach
  void closeBackend() {
    cpu.close();
  }

  @TempDir
  Path dir;

  @Test
  void skullsSplitIntoDefectiveAndImplantAndAreSparse() {
    ProceduralSkull s = ProceduralSkull.generate(48, 3);
    assertEquals(s.skull().size(), s.defective().size() + s.implant().size());
    assertTrue(s.implant().size() > 0, "the defect removes voxels");
    double occupancy = s.skull().size() / Math.pow(48, 3);
    assertTrue(occupancy > 0.01 && occupancy < 0.2, "shell occupancy " + occupancy);
    assertEquals(s.skull().size(), ProceduralSkull.generate(48, 3).skull().size(), "deterministic per seed");
  }

  /**
   * Training is deterministic for a seed, so these bounds hold with room to spare; a network that
   * does not learn (a wrong gradient, an optimizer that does not step) fails every one of them.
   */
  @Test
  void theExampleLearnsToCompleteSkullsAndSavesACheckpoint() throws Exception {
    SkullCompletion.Result untrained = SkullCompletion.run(new SkullCompletion.Settings(32, 3, 0, 0.01, 1, null, cpu),
        new PrintStream(java.io.OutputStream.nullOutputStream(), true, "UTF-8"));
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    Path ckpt = dir.resolve("skull.ckpt");
    SkullCompletion.Result r = SkullCompletion.run(new SkullCompletion.Settings(32, 3, 12, 0.01, 1, ckpt, cpu),
        new PrintStream(text, true, "UTF-8"));
    assertTrue(r.lastLoss() < 0.25 * r.firstLoss(), "loss " + r.firstLoss() + " -> " + r.lastLoss());
    assertTrue(r.skullDice() > 0.5 && r.skullDice() > untrained.skullDice() + 0.4,
        "held-out skull Dice " + r.skullDice() + ", untrained " + untrained.skullDice());
    ProceduralSkull test = ProceduralSkull.generate(32, 1999); // the run's held-out skull: seed * 1000 + 999
    double inputDice = 2.0 * test.defective().size() / (test.defective().size() + test.skull().size());
    assertEquals(inputDice, r.inputSkullDice(), 1e-12, "the defective input is a subset of the skull");
    assertTrue(Files.size(ckpt) > r.parameters() * 4, "checkpoint holds the parameters");
    assertTrue(text.toString("UTF-8").contains("held-out skull"));
  }
}
