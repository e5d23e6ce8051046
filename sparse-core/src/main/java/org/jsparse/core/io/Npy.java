package org.jsparse.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} format version 1.0, little-endian, C order, for int32 ({@code <i4}),
 * float32 ({@code <f4}) and float64 ({@code <f8}) arrays: what {@code numpy.load} reads and
 * {@code numpy.save} writes for those types.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?[a-z]\\d)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /**
   * An array read from or written to .npy: exactly one of the data arrays is set.
   *
   * @param shape dimensions, C order
   * @param ints int32 data or null
   * @param floats float32 data or null
   * @param doubles float64 data or null
   */
  public record Array(long[] shape, int[] ints, float[] floats, double[] doubles) {
    String descr() {
      return ints != null ? "<i4" : floats != null ? "<f4" : "<f8";
    }

    int length() {
      return ints != null ? ints.length : floats != null ? floats.length : doubles.length;
    }
  }

  /** Writes one array. */
  public static void write(OutputStream out, Array a) throws IOException {
    StringBuilder shape = new StringBuilder("(");
    for (long s : a.shape()) {
      shape.append(s).append(", ");
    }
    if (a.shape().length > 1) {
      shape.setLength(shape.length() - 2);
    } else if (a.shape().length == 1) {
      shape.setLength(shape.length() - 1);
    }
    shape.append(")");
    String header = "{'descr': '" + a.descr() + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int total = MAGIC.length + 4 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    out.write(MAGIC);
    out.write(new byte[] {1, 0});
    int len = header.length();
    out.write(new byte[] {(byte) len, (byte) (len >> 8)});
    out.write(header.getBytes(StandardCharsets.US_ASCII));
    int width = a.ints() != null ? 4 : a.floats() != null ? 4 : 8;
    ByteBuffer buf = ByteBuffer.allocate(a.length() * width).order(ByteOrder.LITTLE_ENDIAN);
    if (a.ints() != null) {
      buf.asIntBuffer().put(a.ints());
    } else if (a.floats() != null) {
      buf.asFloatBuffer().put(a.floats());
    } else {
      buf.asDoubleBuffer().put(a.doubles());
    }
    out.write(buf.array());
  }

  /** Reads one array; fails clearly on big-endian, Fortran order or an unsupported type. */
  public static Array read(InputStream in) throws IOException {
    byte[] magic = in.readNBytes(6);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException("not a .npy file (bad magic)");
    }
    int major = in.read();
    in.read();
    int headerLen;
    if (major == 1) {
      byte[] b = in.readNBytes(2);
      headerLen = (b[0] & 0xff) | (b[1] & 0xff) << 8;
    } else {
      byte[] b = in.readNBytes(4);
      headerLen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
    String header = new String(in.readNBytes(headerLen), StandardCharsets.US_ASCII);
    Matcher descr = DESCR.matcher(header);
    Matcher order = ORDER.matcher(header);
    Matcher shapeM = SHAPE.matcher(header);
    if (!descr.find() || !order.find() || !shapeM.find()) {
      throw new IOException("unreadable .npy header: " + header.trim());
    }
    if (order.group(1).equals("True")) {
      throw new IOException(".npy array is in Fortran order; save it with np.ascontiguousarray first");
    }
    long[] shape = Arrays.stream(shapeM.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .mapToLong(Long::parseLong).toArray();
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    String type = descr.group(1).replace("=", "<").replace("|", "<");
    ByteOrder bo = type.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    String kind = type.substring(type.length() - 2);
    int width = kind.equals("f8") ? 8 : 4;
    ByteBuffer data = ByteBuffer.wrap(in.readNBytes(Math.toIntExact(n * width))).order(bo);
    if (data.capacity() != n * width) {
      throw new IOException(".npy data is truncated: expected " + n * width + " bytes");
    }
    return switch (kind) {
      case "i4" -> {
        int[] v = new int[(int) n];
        data.asIntBuffer().get(v);
        yield new Array(shape, v, null, null);
      }
      case "f4" -> {
        float[] v = new float[(int) n];
        data.asFloatBuffer().get(v);
        yield new Array(shape, null, v, null);
      }
      case "f8" -> {
        double[] v = new double[(int) n];
        data.asDoubleBuffer().get(v);
        yield new Array(shape, null, null, v);
      }
      default -> throw new IOException("unsupported .npy dtype " + type + "; use int32, float32 or float64");
    };
  }

  /** Serialises to bytes. */
  public static byte[] toBytes(Array a) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, a);
    return out.toByteArray();
  }
}
