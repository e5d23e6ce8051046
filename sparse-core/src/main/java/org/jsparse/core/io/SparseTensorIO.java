package org.jsparse.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
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
 */
public final class SparseTensorIO {
  private SparseTensorIO() {}

  /** Writes {@code x} to {@code path}. */
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
    try (OutputStream os = Files.newOutputStream(path); ZipOutputStream zip = new ZipOutputStream(os)) {
      put(zip, "coordinates", new Npy.Array(new long[] {x.size(), d + 1}, x.coordinates().toFlatArray(), null, null));
      put(zip, "features", feats);
      put(zip, "tensor_stride", new Npy.Array(new long[] {d}, x.tensorStride().toArray(), null, null));
    }
  }

  private static void put(ZipOutputStream zip, String name, Npy.Array a) throws IOException {
    zip.putNextEntry(new ZipEntry(name + ".npy"));
    Npy.write(zip, a);
    zip.closeEntry();
  }

  /** Reads a tensor written by {@link #save} (or by NumPy in the same layout) into {@code cm}. */
  public static SparseTensor load(Path path, CoordinateManager cm) throws IOException {
    Map<String, Npy.Array> arrays = new HashMap<>();
    try (InputStream is = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(is)) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        String name = e.getName().replace(".npy", "");
        arrays.put(name, Npy.read(zip));
      }
    }
    for (String need : new String[] {"coordinates", "features", "tensor_stride"}) {
      if (!arrays.containsKey(need)) {
        throw new IOException(path + " has no '" + need + ".npy'; expected coordinates, features, tensor_stride");
      }
    }
    Npy.Array c = arrays.get("coordinates");
    Npy.Array f = arrays.get("features");
    Npy.Array t = arrays.get("tensor_stride");
    if (c.ints() == null || t.ints() == null || c.shape().length != 2 || f.shape().length != 2) {
      throw new IOException("coordinates and tensor_stride must be int32, coordinates [N, 1+D] and features [N, C]");
    }
    int d = (int) c.shape()[1] - 1;
    INDArray feats;
    if (f.floats() != null) {
      feats = f.floats().length == 0 ? Nd4j.create(DataType.FLOAT, f.shape()) : Nd4j.create(f.floats(), f.shape(), 'c');
    } else if (f.doubles() != null) {
      feats = f.doubles().length == 0 ? Nd4j.create(DataType.DOUBLE, f.shape()) : Nd4j.create(f.doubles(), f.shape(), 'c');
    } else {
      throw new IOException("features must be float32 or float64");
    }
    return SparseTensor.create(cm, Coordinates.fromFlat(d, c.ints()), TensorStride.of(t.ints()), feats);
  }
}
