package org.jsparse.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.tensor.SparseTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Files NumPy 2.4 wrote ({@code np.save}, {@code np.savez}, {@code np.savez_compressed}; the script
 * is in the test resources' README), read as NumPy reads them, and the broken ones refused with
 * the file, the entry and the reason.
 */
class NumpyFilesTest {
  @TempDir
  Path dir;

  private static Path resource(String name) {
    try {
      return Path.of(NumpyFilesTest.class.getResource("/npy/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Npy.Array npy(String name) throws IOException {
    try (InputStream in = Files.newInputStream(resource(name))) {
      return Npy.read(in, name);
    }
  }

  @Test
  void everyIntegerAndBoolDtypeInBothByteOrdersReadsAsInt32() throws IOException {
    int[] signed = {1, -2, 3, 4, 5, -6};
    for (String width : new String[] {"i1", "i2", "i4", "i8"}) {
      for (String order : new String[] {"le", "be"}) {
        Npy.Array a = npy("signed_" + order + "_" + width + ".npy");
        assertArrayEquals(new long[] {2, 3}, a.shape(), width + " " + order);
        assertArrayEquals(signed, a.ints(), width + " " + order);
      }
    }
    for (String width : new String[] {"u1", "u2", "u4", "u8"}) {
      assertArrayEquals(new int[] {1, 2, 3, 4, 5, 250}, npy("unsigned_" + width + ".npy").ints(), width);
    }
    assertArrayEquals(new int[] {1, 0, 1, 0, 0, 1}, npy("bool.npy").ints());
  }

  @Test
  void floatsAreWidenedFromHalfAndReadInEitherByteOrder() throws IOException {
    float[] half = npy("float16.npy").floats();
    assertArrayEquals(new float[] {0.5f, -1.25f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, -0.0f}, half);
    assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(half[5]), "the sign of -0 survives");
    assertArrayEquals(new float[] {0.5f, -1.25f, 3f, 1e-3f, 2.5f, -7f}, npy("float32_be.npy").floats());
    assertEquals(Float.NaN, NpyType.halfToFloat((short) 0x7e00));
  }

  @Test
  void fortranOrderArraysComeBackInCOrder() throws IOException {
    double[] c = npy("float64_fortran.npy").doubles();
    for (int i = 0; i < 24; i++) {
      assertEquals(i, c[i], 0.0, "element " + i + " of arange(24).reshape(2, 3, 4)");
    }
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, npy("int64_fortran.npy").ints());
    assertEquals(0, npy("scalar.npy").shape().length);
    assertArrayEquals(new float[] {2.5f}, npy("scalar.npy").floats());
  }

  @Test
  void valuesOutsideInt32UnknownDtypesAndTruncationAreNamed() {
    IOException big = assertThrows(IOException.class, () -> npy("int64_too_big.npy"));
    assertTrue(big.getMessage().contains("int64_too_big.npy") && big.getMessage().contains("1099511627776")
        && big.getMessage().contains("element 1"), big.getMessage());
    IOException complex = assertThrows(IOException.class, () -> npy("complex.npy"));
    assertTrue(complex.getMessage().contains("complex.npy") && complex.getMessage().contains("'<c16'"),
        complex.getMessage());
    IOException cut = assertThrows(IOException.class, () -> npy("truncated.npy"));
    assertTrue(cut.getMessage().contains("truncated.npy is truncated"), cut.getMessage());
  }

  @Test
  void aNumpyArchiveWithInt64CoordinatesAndHalfFeaturesLoads() throws IOException {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor x = SparseTensorIO.load(resource("numpy_tensor.npz"), cm);
      assertEquals(Coordinates.of(new int[] {0, 1, 2, 3}, new int[] {0, 4, 5, 6}, new int[] {1, -7, 8, 9}),
          x.coordinates());
      assertEquals(DataType.FLOAT, x.dataType());
      assertArrayEquals(new float[] {0.5f, 1.5f, -2f}, x.features().dup().reshape(3).toFloatVector());
      SparseTensor y = SparseTensorIO.load(resource("uint8_features.npz"), cm);
      assertEquals(TensorStride.uniform(3, 2), y.tensorStride());
      assertEquals(255f, y.features().getFloat(1, 0), "uint8 features read as float32");
    }
  }

  @Test
  void brokenArchivesSayWhatIsWrongAndLeaveTheManagerAsItWas() throws IOException {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      long maps = cm.mapKeys().size();
      IOException truncated = assertThrows(IOException.class, () -> SparseTensorIO.load(resource("truncated.npz"), cm));
      assertTrue(truncated.getMessage().contains("truncated.npz") && truncated.getMessage().contains("truncated"),
          truncated.getMessage());
      IOException empty = assertThrows(IOException.class, () -> SparseTensorIO.load(resource("empty.npz"), cm));
      assertTrue(empty.getMessage().contains("empty.npz is empty"), empty.getMessage());
      IOException missing = assertThrows(IOException.class, () -> SparseTensorIO.load(dir.resolve("none.npz"), cm));
      assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
      // a tensor with a NaN: refused, and no coordinate map stays behind
      Path nan = dir.resolve("nan.npz");
      try (CoordinateManager other = new CoordinateManager(3)) {
        SparseTensor t = SparseTensor.create(other, Coordinates.of(new int[] {0, 1, 1, 1}, new int[] {0, 2, 2, 2}),
            TensorStride.uniform(3, 1), Nd4j.create(new float[][] {{1}, {2}}));
        SparseTensorIO.save(t, nan);
      }
      byte[] bytes = Files.readAllBytes(nan);
      for (int attempt = 0; attempt < 3; attempt++) {
        assertThrows(IllegalArgumentException.class, () -> SparseTensor.create(cm,
            Coordinates.of(new int[] {0, 5, 5, 5}), TensorStride.uniform(3, 1), Nd4j.create(new float[][] {{Float.NaN}})));
      }
      assertEquals(maps, cm.mapKeys().size(), "three refused tensors registered no map");
      assertEquals(0, cm.memory().current(MemoryCategory.FEATURES));
      assertEquals(0, cm.memory().current(MemoryCategory.COORDINATES));
      assertTrue(bytes.length > 100);
    }
  }

  @Test
  void aFailedSaveLeavesNoFileAndAnEarlierFileIntact() throws IOException {
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor t = SparseTensor.create(cm, Coordinates.of(new int[] {0, 1, 1, 1}), TensorStride.uniform(3, 1),
          Nd4j.create(new float[][] {{1}}));
      Path target = dir.resolve("t.npz");
      SparseTensorIO.save(t, target);
      byte[] before = Files.readAllBytes(target);
      SparseTensor sum = org.jsparse.core.ops.ChannelOps.add(t, t);
      sum.close(); // its features are freed: reading them fails in the middle of the save
      assertThrows(RuntimeException.class, () -> SparseTensorIO.save(sum, target));
      assertArrayEquals(before, Files.readAllBytes(target), "the earlier file is untouched");
      try (var files = Files.list(dir)) {
        assertEquals(1, files.count(), "no partial file left beside it");
      }
      IOException noFolder = assertThrows(IOException.class,
          () -> SparseTensorIO.save(t, dir.resolve("missing").resolve("x.npz")));
      assertTrue(noFolder.getMessage().contains("does not exist"), noFolder.getMessage());
      assertFalse(Files.exists(dir.resolve("missing")));
    }
  }
}
