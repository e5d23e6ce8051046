package org.jsparse.examples.skull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkullCompletionTest {
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

  @Test
  void theExampleTrainsEndToEndAndSavesACheckpoint() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    Path ckpt = dir.resolve("skull.ckpt");
    SkullCompletion.Result r = SkullCompletion.run(new SkullCompletion.Settings(32, 2, 4, 0.01, 1, ckpt),
        new PrintStream(text, true, "UTF-8"));
    assertTrue(r.lastLoss() < r.firstLoss(), "loss " + r.firstLoss() + " -> " + r.lastLoss());
    assertTrue(r.skullDice() > 0 && r.skullDice() <= 1);
    assertTrue(r.peakTrainingBytes() > 0);
    assertTrue(Files.size(ckpt) > r.parameters() * 4, "checkpoint holds the parameters");
    assertTrue(text.toString("UTF-8").contains("held-out skull"));
  }
}
