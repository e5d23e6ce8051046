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
 * NumPy's {@code .npy} format. Writes version 1.0, little-endian, C order, int32 ({@code <i4}),
 * float32 ({@code <f4}) or float64 ({@code <f8}): what {@code numpy.load} reads. Reads what
 * {@code numpy.save} writes: every bool, integer and float dtype in either byte order and either
 * memory order (see {@link #read(InputStream, String)}).
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
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

  /** Reads one array (see {@link #read(InputStream, String)}); errors name the source as "the .npy stream". */
  public static Array read(InputStream in) throws IOException {
    return read(in, "the .npy stream");
  }

  /**
   * Reads one array as NumPy writes it, any version (1.0, 2.0, 3.0), either byte order, C or
   * Fortran order (returned in C order): bool, int8..int64 and uint8..uint64 become int32 (checked:
   * a value outside int32 fails naming it), float16 is widened to float32, float32 and float64
   * stay. Every error names {@code source} (a file, or a file and an archive entry) and says
   * whether the data is truncated, corrupt or of a type NumPy cannot have written for us.
   */
  public static Array read(InputStream in, String source) throws IOException {
    byte[] magic = in.readNBytes(6);
    if (magic.length < 6 && Arrays.equals(magic, Arrays.copyOf(MAGIC, magic.length))) {
      throw new IOException(source + " is truncated: " + magic.length + " bytes, not even a .npy header");
    }
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException(source + " is not a .npy array (it does not start with \\x93NUMPY)");
    }
    byte[] version = in.readNBytes(2);
    if (version.length < 2 || version[0] < 1 || version[0] > 3) {
      throw new IOException(source + (version.length < 2 ? " is truncated in its header" : " has .npy version "
          + version[0] + "." + (version.length > 1 ? version[1] : 0) + "; this reader knows 1.0 to 3.0"));
    }
    byte[] lenBytes = in.readNBytes(version[0] == 1 ? 2 : 4);
    if (lenBytes.length < (version[0] == 1 ? 2 : 4)) {
      throw new IOException(source + " is truncated in its header");
    }
    long headerLen = version[0] == 1 ? (lenBytes[0] & 0xff) | (lenBytes[1] & 0xff) << 8
        : ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
    byte[] headerBytes = in.readNBytes((int) Math.min(headerLen, 1 << 20));
    if (headerBytes.length < headerLen) {
      throw new IOException(source + " is truncated in its header (" + headerBytes.length + " of " + headerLen + " bytes)");
    }
    String header = new String(headerBytes, version[0] == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(header);
    Matcher order = ORDER.matcher(header);
    Matcher shapeM = SHAPE.matcher(header);
    if (!descr.find() || !order.find() || !shapeM.find()) {
      throw new IOException(source + " has a corrupt .npy header: " + header.trim());
    }
    NpyType type = NpyType.of(descr.group(1), source);
    long[] shape;
    try {
      shape = Arrays.stream(shapeM.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty())
          .mapToLong(Long::parseLong).toArray();
    } catch (NumberFormatException e) {
      throw new IOException(source + " has a corrupt .npy shape: (" + shapeM.group(1) + ")");
    }
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IOException(source + " has a negative dimension in its shape (" + shapeM.group(1) + ")");
      }
      n = Math.multiplyExact(n, d);
    }
    long bytes = n * type.width();
    if (bytes > Integer.MAX_VALUE - 16) {
      throw new IOException(source + " holds " + bytes + " bytes of data; one array here is limited to 2 GiB");
    }
    byte[] raw = in.readNBytes((int) bytes);
    if (raw.length != bytes) {
      throw new IOException(source + " is truncated: its shape " + Arrays.toString(shape) + " of " + type
          + " needs " + bytes + " bytes of data, the file has " + raw.length);
    }
    Array a = type.decode(ByteBuffer.wrap(raw).order(type.order()), (int) n, shape, source);
    return order.group(1).equals("True") && shape.length > 1 ? NpyType.fortranToC(a) : a;
  }

  /** Serialises to bytes. */
  public static byte[] toBytes(Array a) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, a);
    return out.toByteArray();
  }
}
