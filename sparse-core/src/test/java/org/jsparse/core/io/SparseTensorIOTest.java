package org.jsparse.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.core.testing.RandomSparse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class SparseTensorIOTest {
  @TempDir Path dir;

  @Test
  void saveLoadRoundTripIsExact() throws Exception {
    Random rnd = new Random(9);
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      Coordinates c = RandomSparse.coordinates(rnd, 3, 3, 5, -8, 2, 0.3);
      try (CoordinateManager a = new CoordinateManager(3); CoordinateManager b = new CoordinateManager(3)) {
        SparseTensor x = SparseTensor.create(a, c, TensorStride.uniform(3, 2), RandomSparse.uniform(rnd, type, c.size(), 4));
        Path p = dir.resolve("x-" + type + ".npz");
        SparseTensorIO.save(x, p);
        SparseTensor y = SparseTensorIO.load(p, b);
        assertEquals(x.coordinates(), y.coordinates());
        assertEquals(x.tensorStride(), y.tensorStride());
        assertEquals(x.features(), y.features());
        assertEquals(type, y.dataType());
      }
    }
  }

  @Test
  void npyHeaderIsWhatNumpyWrites() throws Exception {
    byte[] bytes = Npy.toBytes(new Npy.Array(new long[] {2, 3}, new int[] {1, 2, 3, 4, 5, 6}, null, null));
    String header = new String(bytes, 10, bytes.length - 10 - 24, StandardCharsets.US_ASCII);
    assertTrue(header.startsWith("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }"), header);
    assertEquals(0, (10 + header.length()) % 64, "header is padded to a multiple of 64 bytes");
    assertEquals('\n', header.charAt(header.length() - 1));
    Npy.Array back = Npy.read(new ByteArrayInputStream(bytes));
    assertArrayEquals(new long[] {2, 3}, back.shape());
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, back.ints());
    byte[] vec = Npy.toBytes(new Npy.Array(new long[] {3}, null, new float[] {1, 2, 3}, null));
    assertTrue(new String(vec, StandardCharsets.US_ASCII).contains("'shape': (3,)"), "1-D shape has a trailing comma");
  }
}
