package org.jsparse.nn.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.jsparse.core.io.AtomicFiles;
import org.jsparse.core.io.Npy;
import org.jsparse.nn.Module;
import org.jsparse.nn.Parameter;
import org.jsparse.nn.optim.LrScheduler;
import org.jsparse.nn.optim.Optimizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saves and restores a training run: model parameters and buffers, optimizer slots, step count
 * and learning rate, scheduler epoch. The file is a zip (readable with {@code numpy.load}) of
 * {@code param/<path>.npy}, {@code buffer/<path>.npy}, {@code optim/<path>/<slot>.npy} in the
 * arrays' own data type, plus {@code meta.properties} (format version, optimizer kind, steps,
 * learning rate, epoch). Values are stored bit for bit, so a resumed run continues exactly as
 * the uninterrupted one would (see docs/nn.md).
 */
public final class TrainingCheckpoint {
  private static final String FORMAT = "jsparse-training-checkpoint";
  private static final String VERSION = "1";

  private TrainingCheckpoint() {}

  /**
   * Writes the model and, when not null, the optimizer and scheduler state: into a temporary file
   * beside {@code path}, renamed over it once complete, so a failed save leaves {@code path} as it was.
   */
  public static void save(Path path, Module model, Optimizer optimizer, LrScheduler scheduler) throws IOException {
    AtomicFiles.write(path, os -> write(os, model, optimizer, scheduler));
  }

  private static void write(OutputStream os, Module model, Optimizer optimizer, LrScheduler scheduler) throws IOException {
    Properties meta = new Properties();
    meta.setProperty("format", FORMAT);
    meta.setProperty("version", VERSION);
    ZipOutputStream zip = new ZipOutputStream(os);
    for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
      put(zip, "param/" + e.getKey(), e.getValue().data());
    }
    for (Map.Entry<String, INDArray> e : model.namedBuffers().entrySet()) {
      put(zip, "buffer/" + e.getKey(), e.getValue());
    }
    if (optimizer != null) {
      meta.setProperty("optimizer.kind", optimizer.kind());
      meta.setProperty("optimizer.steps", Long.toString(optimizer.steps()));
      meta.setProperty("optimizer.learningRate", Double.toString(optimizer.learningRate()));
      for (Map.Entry<String, INDArray> e : optimizer.state().entrySet()) {
        put(zip, "optim/" + e.getKey(), e.getValue());
      }
    }
    if (scheduler != null) {
      meta.setProperty("scheduler.epoch", Integer.toString(scheduler.epoch()));
    }
    zip.putNextEntry(new ZipEntry("meta.properties"));
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    meta.store(text, "jsparse training checkpoint");
    zip.write(text.toByteArray());
    zip.closeEntry();
    zip.finish(); // the caller closes the stream
  }

  /**
   * Restores into an existing model (same architecture: same parameter paths and shapes) and,
   * when not null, optimizer (same kind) and scheduler. All or nothing: the whole file is read
   * and checked against the model, optimizer and scheduler before anything is written, so a file
   * that does not fit (or is truncated or corrupt) leaves all three as they were.
   */
  public static void load(Path path, Module model, Optimizer optimizer, LrScheduler scheduler) throws IOException {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    Properties meta = read(path, arrays);
    if (!FORMAT.equals(meta.getProperty("format"))) {
      throw new IOException(path + " is not a jsparse training checkpoint (no meta.properties with format " + FORMAT + ")");
    }
    Map<String, Parameter> params = model.namedParameters();
    long saved = arrays.keySet().stream().filter(k -> k.startsWith("param/")).count();
    if (saved != params.size()) {
      throw new IOException(path + " holds " + saved + " parameters, the model has " + params.size()
          + "; load into a model built with the same settings");
    }
    for (Map.Entry<String, Parameter> p : params.entrySet()) {
      require(arrays, "param/" + p.getKey(), path, p.getValue().shape());
    }
    for (Map.Entry<String, INDArray> b : model.namedBuffers().entrySet()) {
      require(arrays, "buffer/" + b.getKey(), path, b.getValue().shape());
    }
    Map<String, INDArray> slots = new LinkedHashMap<>();
    long steps = 0;
    double learningRate = 0;
    if (optimizer != null) {
      String kind = meta.getProperty("optimizer.kind");
      if (!optimizer.kind().equals(kind)) {
        throw new IOException(path + " holds " + (kind == null ? "no optimizer" : "a " + kind + " optimizer")
            + " state, not " + optimizer.kind());
      }
      arrays.forEach((k, v) -> {
        if (k.startsWith("optim/")) {
          slots.put(k.substring("optim/".length()), v);
        }
      });
      steps = (long) number(meta, "optimizer.steps", path);
      learningRate = number(meta, "optimizer.learningRate", path);
    }
    int epoch = 0;
    if (scheduler != null) {
      if (meta.getProperty("scheduler.epoch") == null) {
        throw new IOException(path + " holds no scheduler state");
      }
      epoch = (int) number(meta, "scheduler.epoch", path);
    }
    // every check passed; the optimizer checks its slots before it replaces any
    if (optimizer != null) {
      try {
        optimizer.loadState(slots, steps, learningRate);
      } catch (IllegalArgumentException e) {
        throw new IOException(path + ": " + e.getMessage(), e);
      }
    }
    for (Map.Entry<String, Parameter> p : params.entrySet()) {
      p.getValue().set(arrays.get("param/" + p.getKey()));
    }
    for (Map.Entry<String, INDArray> b : model.namedBuffers().entrySet()) {
      b.getValue().assign(arrays.get("buffer/" + b.getKey()));
    }
    if (scheduler != null) {
      scheduler.setEpoch(epoch);
      if (optimizer != null) {
        optimizer.setLearningRate(learningRate);
      }
    }
  }

  /** Reads every entry; a truncated or corrupt file says so, naming the file and the entry. */
  private static Properties read(Path path, Map<String, INDArray> arrays) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new IOException("checkpoint " + path + " does not exist or is not a file");
    }
    Properties meta = new Properties();
    String entry = null;
    try (InputStream is = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(is)) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        entry = e.getName();
        byte[] bytes = zip.readAllBytes();
        if (entry.equals("meta.properties")) {
          meta.load(new java.io.InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.ISO_8859_1));
        } else {
          arrays.put(entry.replaceAll("\\.npy$", ""), toArray(Npy.read(new ByteArrayInputStream(bytes), path + "!" + entry)));
        }
      }
    } catch (ZipException | EOFException e) {
      throw new IOException("checkpoint " + path + " is truncated or corrupt" + (entry == null ? "" : " (at entry " + entry + ")")
          + ": " + e.getMessage(), e);
    }
    if (arrays.isEmpty() && meta.isEmpty()) {
      throw new IOException("checkpoint " + path + " is empty or not a checkpoint archive (" + Files.size(path) + " bytes)");
    }
    return meta;
  }

  private static double number(Properties meta, String key, Path path) throws IOException {
    try {
      return Double.parseDouble(meta.getProperty(key));
    } catch (NullPointerException | NumberFormatException e) {
      throw new IOException(path + " has no valid " + key + " (" + meta.getProperty(key) + ")");
    }
  }

  private static INDArray require(Map<String, INDArray> arrays, String name, Path path, long[] shape) throws IOException {
    INDArray a = arrays.get(name);
    if (a == null) {
      throw new IOException(path + " has no entry " + name + "; load into a model built with the same settings");
    }
    if (!Arrays.equals(a.shape(), shape)) {
      throw new IOException(name + " in " + path + " has shape " + Arrays.toString(a.shape()) + ", the model "
          + Arrays.toString(shape) + "; nothing was loaded");
    }
    return a;
  }

  private static void put(ZipOutputStream zip, String name, INDArray a) throws IOException {
    INDArray c = a.dup('c');
    Npy.Array arr = switch (c.dataType()) {
      case FLOAT -> new Npy.Array(c.shape(), null, c.data().asFloat(), null);
      case DOUBLE -> new Npy.Array(c.shape(), null, null, c.data().asDouble());
      default -> throw new IllegalArgumentException(name + " is " + c.dataType() + "; checkpoints hold FLOAT or DOUBLE");
    };
    zip.putNextEntry(new ZipEntry(name + ".npy"));
    Npy.write(zip, arr);
    zip.closeEntry();
  }

  private static INDArray toArray(Npy.Array a) {
    if (a.floats() != null) {
      return Nd4j.create(a.floats(), a.shape(), 'c');
    }
    if (a.doubles() != null) {
      return Nd4j.create(a.doubles(), a.shape(), 'c');
    }
    return Nd4j.createFromArray(a.ints()).castTo(DataType.DOUBLE).reshape(a.shape());
  }
}
