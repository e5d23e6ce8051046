package org.jsparse.core.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saves and loads a sparse tensor as an uncompressed {@code .npz} that NumPy reads with
 * {@code np.load(path)}: {@code coordinates} int32 {@code [N, 1+D]} (batch first),
 * {@code features} float32 or float64 {@code [N, C]}, {@code tensor_stride} int32 {@code [D]}.
 * Loads what NumPy writes in that layout, whatever the dtypes and compression.
 */
public final class SparseTensorIO {
  private SparseTensorIO() {}

  /**
   * Writes {@code x} to {@code path}: into a temporary file beside it, renamed over {@code path}
   * once complete, so a failed save leaves {@code path} as it was.
   */
  public static void save(SparseTensor x, Path path) throws IOException {
    int d = x.dimension();
    INDArray f = x.features();
    Npy.Array feats = x.dataType() == DataType.FLOAT
        ? new Npy.Array(new long[] {x.size(), x.channels()}, null, f.dup('c').data().asFloat(), null)
        : new Npy.Array(new long[] {x.size(), x.channels()}, null, null, f.dup('c').data().asDouble());
    if (x.size() == 0 || x.channels() == 0) {
      feats = x.dataType() == DataType.FLOAT ? new Npy.Array(feats.shape(), null, new float[0], null)
          : new Npy.Array(feats.shape(), null, null, new double[0]);
    }
    Npy.Array features = feats;
    AtomicFiles.write(path, os -> {
      ZipOutputStream zip = new ZipOutputStream(os);
      put(zip, "coordinates", new Npy.Array(new long[] {x.size(), d + 1}, x.coordinates().toFlatArray(), null, null));
      put(zip, "features", features);
      put(zip, "tensor_stride", new Npy.Array(new long[] {d}, x.tensorStride().toArray(), null, null));
      zip.finish();
    });
  }

  private static void put(ZipOutputStream zip, String name, Npy.Array a) throws IOException {
    zip.putNextEntry(new ZipEntry(name + ".npy"));
    Npy.write(zip, a);
    zip.closeEntry();
  }

  /**
   * Reads a tensor written by {@link #save}, or by NumPy in the same layout
   * ({@code np.savez} or {@code np.savez_compressed} of {@code coordinates} [N, 1+D] of any integer
   * dtype, {@code features} [N, C] of any numeric dtype, integers and float16 read as float32, and
   * {@code tensor_stride} [D]), into {@code cm}. Nothing is added to {@code cm} unless the whole
   * file is read and checked; every error names the file and the entry.
   */
  public static SparseTensor load(Path path, CoordinateManager cm) throws IOException {
    Map<String, Npy.Array> arrays = readArchive(path);
    for (String need : new String[] {"coordinates", "features", "tensor_stride"}) {
      if (!arrays.containsKey(need)) {
        throw new IOException(path + " has no '" + need + ".npy' (it holds " + arrays.keySet()
            + "); a sparse tensor archive holds coordinates, features and tensor_stride");
      }
    }
    Npy.Array c = arrays.get("coordinates");
    Npy.Array f = arrays.get("features");
    Npy.Array t = arrays.get("tensor_stride");
    if (c.ints() == null || c.shape().length != 2 || c.shape()[1] < 2) {
      throw new IOException(path + "!coordinates.npy must be an integer array [N, 1+D] (batch first), got "
          + describe(c));
    }
    if (t.ints() == null || t.shape().length != 1 || t.shape()[0] != c.shape()[1] - 1) {
      throw new IOException(path + "!tensor_stride.npy must be an integer array of D = " + (c.shape()[1] - 1)
          + " strides, got " + describe(t));
    }
    if (f.shape().length != 2 || f.shape()[0] != c.shape()[0]) {
      throw new IOException(path + "!features.npy must be [N, C] with N = " + c.shape()[0] + " rows, got "
          + describe(f));
    }
    int d = (int) c.shape()[1] - 1;
    INDArray feats;
    if (f.doubles() != null) {
      feats = f.doubles().length == 0 ? Nd4j.create(DataType.DOUBLE, f.shape()) : Nd4j.create(f.doubles(), f.shape(), 'c');
    } else {
      float[] v = f.floats() != null ? f.floats() : toFloats(f.ints());
      feats = v.length == 0 ? Nd4j.create(DataType.FLOAT, f.shape()) : Nd4j.create(v, f.shape(), 'c');
    }
    try {
      return SparseTensor.create(cm, Coordinates.fromFlat(d, c.ints()), TensorStride.of(t.ints()), feats);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  /** Every {@code .npy} entry of an archive by name (without {@code .npy}); corrupt or truncated archives say so. */
  static Map<String, Npy.Array> readArchive(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new IOException(path + " does not exist or is not a file");
    }
    if (Files.size(path) == 0) {
      throw new IOException(path + " is empty (0 bytes), not an .npz archive");
    }
    Map<String, Npy.Array> arrays = new LinkedHashMap<>();
    try (InputStream is = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(is)) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        if (e.getName().endsWith(".npy")) {
          arrays.put(e.getName().substring(0, e.getName().length() - 4), Npy.read(zip, path + "!" + e.getName()));
        }
      }
    } catch (ZipException | EOFException e) {
      throw new IOException(path + " is a corrupt or truncated .npz archive (" + e.getMessage() + ")", e);
    }
    if (arrays.isEmpty()) {
      throw new IOException(path + " holds no .npy arrays: not an .npz archive, or a truncated one");
    }
    return arrays;
  }

  private static String describe(Npy.Array a) {
    String type = a.ints() != null ? "integers" : a.floats() != null ? "float32" : "float64";
    return type + " of shape " + java.util.Arrays.toString(a.shape());
  }

  private static float[] toFloats(int[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = v[i];
    }
    return f;
  }
}
