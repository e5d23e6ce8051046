package org.jsparse.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jsparse.core.convert.VolumeMasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Inv3ReaderTest {
  static final Path CRANIUM = Path.of("/usr/share/doc/invesalius-examples/examples/Cranium.inv3");
  @TempDir Path dir;

  @Test
  void readsWhatItWrites() throws Exception {
    short[] hu = new short[2 * 3 * 4];
    for (int i = 0; i < hu.length; i++) {
      hu[i] = (short) (i * 100 - 1000);
    }
    Path p = dir.resolve("tiny.inv3");
    Inv3Reader.write(p, hu, new int[] {2, 3, 4}, new double[] {0.5, 0.5, 1.5});
    Inv3Reader.CtVolume v = Inv3Reader.read(p);
    assertArrayEquals(new int[] {2, 3, 4}, v.shape());
    assertArrayEquals(hu, v.hu());
    assertEquals(1300, v.at(1, 2, 3));
    assertArrayEquals(new double[] {0.5, 0.5, 1.5}, v.spacing());
  }

  @Test
  void shellOfACubeIsItsSurface() {
    int[] shape = {5, 5, 5};
    boolean[] cube = new boolean[125];
    for (int z = 1; z < 4; z++) {
      for (int y = 1; y < 4; y++) {
        for (int x = 1; x < 4; x++) {
          cube[(z * 5 + y) * 5 + x] = true;
        }
      }
    }
    boolean[] shell = VolumeMasks.shell(cube, shape);
    int n = 0;
    for (boolean b : shell) {
      n += b ? 1 : 0;
    }
    assertEquals(26, n, "a 3x3x3 cube minus its centre");
    assertEquals(52, VolumeMasks.coordinates(shell, shape, 2).size());
  }

  /** The real head CT of DATA.md, when Debian's invesalius-examples is installed. */
  @Test
  void realCraniumHasTheDocumentedBoneCount() throws Exception {
    assumeTrue(Files.exists(CRANIUM), "invesalius-examples is not installed");
    Inv3Reader.CtVolume v = Inv3Reader.read(CRANIUM);
    assertArrayEquals(new int[] {108, 256, 256}, v.shape());
    boolean[] bone = VolumeMasks.atLeast(v.hu(), 226);
    int n = 0;
    for (boolean b : bone) {
      n += b ? 1 : 0;
    }
    assertEquals(475_759, n, "bone voxels (HU >= 226) per DATA.md");
  }
}
