package org.jsparse.nn.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
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

  /** Writes the model and, when not null, the optimizer and scheduler state. */
  public static void save(Path path, Module model, Optimizer optimizer, LrScheduler scheduler) throws IOException {
    Properties meta = new Properties();
    meta.setProperty("format", FORMAT);
    meta.setProperty("version", VERSION);
    try (OutputStream os = Files.newOutputStream(path); ZipOutputStream zip = new ZipOutputStream(os)) {
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
    }
  }

  /**
   * Restores into an existing model (same architecture: same parameter paths and shapes) and,
   * when not null, optimizer (same kind) and scheduler.
   */
  public static void load(Path path, Module model, Optimizer optimizer, LrScheduler scheduler) throws IOException {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    Properties meta = new Properties();
    try (InputStream is = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(is)) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        byte[] bytes = zip.readAllBytes();
        if (e.getName().equals("meta.properties")) {
          meta.load(new java.io.InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.ISO_8859_1));
        } else {
          arrays.put(e.getName().replaceAll("\\.npy$", ""), toArray(Npy.read(new ByteArrayInputStream(bytes))));
        }
      }
    }
    if (!FORMAT.equals(meta.getProperty("format"))) {
      throw new IOException(path + " is not a jsparse training checkpoint (no meta.properties with format " + FORMAT + ")");
    }
    restoreInto(path, model.namedParameters(), arrays, "param/");
    for (Map.Entry<String, INDArray> b : model.namedBuffers().entrySet()) {
      b.getValue().assign(require(arrays, "buffer/" + b.getKey(), path, b.getValue().shape()));
    }
    if (optimizer != null) {
      String kind = meta.getProperty("optimizer.kind");
      if (!optimizer.kind().equals(kind)) {
        throw new IOException(path + " holds " + (kind == null ? "no optimizer" : "a " + kind + " optimizer")
            + " state, not " + optimizer.kind());
      }
      Map<String, INDArray> slots = new LinkedHashMap<>();
      arrays.forEach((k, v) -> {
        if (k.startsWith("optim/")) {
          slots.put(k.substring("optim/".length()), v);
        }
      });
      optimizer.loadState(slots, Long.parseLong(meta.getProperty("optimizer.steps")),
          Double.parseDouble(meta.getProperty("optimizer.learningRate")));
    }
    if (scheduler != null) {
      String epoch = meta.getProperty("scheduler.epoch");
      if (epoch == null) {
        throw new IOException(path + " holds no scheduler state");
      }
      scheduler.setEpoch(Integer.parseInt(epoch));
      if (optimizer != null) {
        optimizer.setLearningRate(Double.parseDouble(meta.getProperty("optimizer.learningRate")));
      }
    }
  }

  private static void restoreInto(Path path, Map<String, Parameter> params, Map<String, INDArray> arrays, String prefix)
      throws IOException {
    long saved = arrays.keySet().stream().filter(k -> k.startsWith(prefix)).count();
    if (saved != params.size()) {
      throw new IOException(path + " holds " + saved + " parameters, the model has " + params.size()
          + "; load into a model built with the same settings");
    }
    for (Map.Entry<String, Parameter> p : params.entrySet()) {
      INDArray a = require(arrays, prefix + p.getKey(), path, p.getValue().shape());
      p.getValue().data().assign(a.castTo(p.getValue().data().dataType()));
    }
  }

  private static INDArray require(Map<String, INDArray> arrays, String name, Path path, long[] shape) throws IOException {
    INDArray a = arrays.get(name);
    if (a == null) {
      throw new IOException(path + " has no entry " + name + "; load into a model built with the same settings");
    }
    if (!Arrays.equals(a.shape(), shape)) {
      throw new IOException(name + " in " + path + " has shape " + Arrays.toString(a.shape()) + ", the model "
          + Arrays.toString(shape));
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
