package org.jsparse.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIfTI-1 files written here byte by byte (both byte orders, gzipped or not, scaled), and DATA.md's brain template. */
class NiftiReaderTest {
  @TempDir
  Path dir;

  /** A 3x2x4 (z, y, x) volume whose voxel at (z, y, x) stores 100z + 10y + x. */
  private Path write(String name, ByteOrder order, int type, float slope, float inter) throws IOException {
    int nx = 4;
    int ny = 2;
    int nz = 3;
    int bytes = type == 4 ? 2 : type == 2 ? 1 : 4;
    ByteBuffer b = ByteBuffer.allocate(352 + nx * ny * nz * bytes).order(order);
    b.putInt(0, 348);
    b.putShort(40, (short) 3);
    b.putShort(42, (short) nx);
    b.putShort(44, (short) ny);
    b.putShort(46, (short) nz);
    b.putShort(70, (short) type);
    b.putFloat(80, 0.5f);
    b.putFloat(84, 0.75f);
    b.putFloat(88, 2f);
    b.putFloat(108, 352f);
    b.putFloat(112, slope);
    b.putFloat(116, inter);
    b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
    int i = 0;
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++, i++) {
          int v = 100 * z + 10 * y + x;
          switch (type) {
            case 4 -> b.putShort(352 + 2 * i, (short) v);
            case 2 -> b.put(352 + i, (byte) v);
            default -> b.putFloat(352 + 4 * i, v);
          }
        }
      }
    }
    Path file = dir.resolve(name);
    try (OutputStream out = name.endsWith(".gz") ? new GZIPOutputStream(Files.newOutputStream(file))
        : Files.newOutputStream(file)) {
      out.write(b.array());
    }
    return file;
  }

  @Test
  void readsBothByteOrdersGzippedOrNotWithScaling() throws IOException {
    NiftiReader.NiftiVolume little = NiftiReader.read(write("a.nii", ByteOrder.LITTLE_ENDIAN, 4, 2f, 1f));
    assertArrayEquals(new int[] {3, 2, 4}, little.shape());
    assertArrayEquals(new double[] {0.5, 0.75, 2}, little.spacing());
    assertEquals(2 * 213 + 1, little.at(2, 1, 3), "int16 with slope 2 and intercept 1");
    NiftiReader.NiftiVolume big = NiftiReader.read(write("b.nii.gz", ByteOrder.BIG_ENDIAN, 16, 0f, 0f));
    assertEquals(213, big.at(2, 1, 3), "big-endian float32, slope 0 means unscaled");
    assertEquals(102, big.at(1, 0, 2));
    NiftiReader.NiftiVolume bytes = NiftiReader.read(write("c.nii", ByteOrder.LITTLE_ENDIAN, 2, 1f, 0f));
    assertEquals(213, bytes.at(2, 1, 3), "uint8 read unsigned");
    assertEquals(16, countTrue(bytes.above(99.5)), "voxels above 99.5: the z = 1 and z = 2 planes, 8 voxels each");
  }

  private static int countTrue(boolean[] m) {
    int n = 0;
    for (boolean b : m) {
      n += b ? 1 : 0;
    }
    return n;
  }

  @Test
  void refusesWhatItCannotReadWithTheReason() throws IOException {
    Path notNifti = dir.resolve("x.nii");
    Files.write(notNifti, new byte[400]);
    IOException e = assertThrows(IOException.class, () -> NiftiReader.read(notNifti));
    assertTrue(e.getMessage().contains("not a NIfTI-1 file"), e.getMessage());
    Path shortFile = dir.resolve("y.nii");
    Files.write(shortFile, new byte[10]);
    assertTrue(assertThrows(IOException.class, () -> NiftiReader.read(shortFile)).getMessage().contains("shorter"));
    Path complex = write("z.nii", ByteOrder.LITTLE_ENDIAN, 4, 1f, 0f);
    byte[] b = Files.readAllBytes(complex);
    b[70] = 32; // DT_COMPLEX64
    Files.write(complex, b);
    assertTrue(assertThrows(IOException.class, () -> NiftiReader.read(complex)).getMessage().contains("datatype 32"));
  }

  @Test
  void readsTheBrainTemplateOfDataMd() throws IOException {
    Path ch2bet = Path.of("/usr/share/mricron/templates/ch2bet.nii.gz");
    Assumptions.assumeTrue(Files.exists(ch2bet), "mricron-data is not installed (apt-get install mricron-data)");
    NiftiReader.NiftiVolume brain = NiftiReader.read(ch2bet);
    assertArrayEquals(new int[] {181, 217, 181}, brain.shape());
    double occupancy = countTrue(brain.above(0)) / (double) brain.values().length;
    assertEquals(0.244, occupancy, 0.002, "DATA.md: brain mask 24.4 %");
  }
}
