package org.jsparse.examples.ct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.jsparse.examples.Examples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CT skull example's pieces: NIfTI as the standard lays it out, defects on the top cap, and a short run end to end. */
class CtSkullTest {
  private static final Path CT = Path.of("/usr/share/doc/invesalius-examples/examples/Cranium.inv3");

  @TempDir
  Path dir;

  @Test
  void niftiHeaderAndVoxelsFollowTheStandard() throws IOException {
    byte[] labels = new byte[2 * 3 * 4];
    labels[(1 * 3 + 2) * 4 + 3] = 2; // z=1, y=2, x=3
    Path f = dir.resolve("v.nii");
    Nifti.writeLabels(f, labels, new int[] {2, 3, 4}, 0.5);
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(352 + labels.length, b.capacity());
    assertEquals(348, b.getInt(0), "sizeof_hdr");
    assertArrayEquals(new short[] {3, 4, 3, 2}, new short[] {b.getShort(40), b.getShort(42), b.getShort(44), b.getShort(46)},
        "dim: 3 axes, x fastest");
    assertEquals(2, b.getShort(70), "DT_UINT8");
    assertEquals(8, b.getShort(72), "bitpix");
    assertEquals(0.5f, b.getFloat(80), "pixdim[1]");
    assertEquals(352f, b.getFloat(108), "vox_offset");
    assertEquals("n+1", new String(new byte[] {b.get(344), b.get(345), b.get(346)}, "US-ASCII"));
    assertEquals(0, b.get(347));
    assertEquals(2, b.get(352 + (1 * 3 + 2) * 4 + 3), "voxel (x=3, y=2, z=1) at i + nx (j + ny k)");
  }

  @Test
  void defectsSitOnTheTopCapAndHoldTheirCentre() {
    int r = 32;
    boolean[] shell = new boolean[r * r * r];
    for (int z = 4; z < 28; z++) {
      for (int y = 4; y < 28; y++) {
        for (int x = 4; x < 28; x++) {
          boolean inside = z > 4 && z < 27 && y > 4 && y < 27 && x > 4 && x < 27;
          shell[(z * r + y) * r + x] = !inside;
        }
      }
    }
    SplittableRandom rnd = new SplittableRandom(3);
    for (int t = 0; t < 20; t++) {
      Defects.Defect d = Defects.random(shell, r, rnd);
      assertTrue(d.centre()[2] >= 27 - r / 4, "centre on the top cap: x = " + d.centre()[2]);
      assertTrue(d.contains(d.centre()[0], d.centre()[1], d.centre()[2]), "a defect holds its centre");
      assertTrue(d.halfSize()[0] >= r / 12.0 * 0.75 && d.halfSize()[0] <= r / 6.0 * 1.25, "size " + d.halfSize()[0]);
    }
  }

  @Test
  void aShortRunOnTheCtWritesVolumesAPngAndMetrics() throws IOException {
    assumeTrue(Files.isRegularFile(CT), "the head CT is installed by .ci/run (apt-get install invesalius-examples)");
    Path out = dir.resolve("ct");
    int code = Examples.execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true),
        "ct-skull", "--size", "32", "--steps", "8", "--held-out", "1", "--eval-every", "4", "--out", out.toString());
    assertEquals(0, code);
    for (String f : new String[] {"input.nii", "prediction.nii", "truth.nii"}) {
      assertEquals(352 + 32 * 32 * 32, Files.size(out.resolve(f)), f);
    }
    assertEquals(3 * (32 * 3 + 2), ImageIO.read(out.resolve("input-prediction-truth.png").toFile()).getWidth());
    assertEquals(400, ImageIO.read(out.resolve("loss.png").toFile()).getHeight(), "the loss chart");
    String metrics = Files.readString(out.resolve("metrics.json"));
    assertTrue(metrics.contains("\"implantDice\":") && metrics.contains("\"boneSites\":")
        && metrics.contains("\"evaluations\":[{\"step\":4,"), metrics);
    byte[] truth = Files.readAllBytes(out.resolve("truth.nii"));
    int implant = 0;
    for (int i = 352; i < truth.length; i++) {
      implant += truth[i] == 2 ? 1 : 0;
    }
    assertTrue(implant > 0, "the held-out defect removed bone");
  }
}
