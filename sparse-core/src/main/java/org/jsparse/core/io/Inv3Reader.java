package org.jsparse.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads the CT volume of an InVesalius {@code .inv3} project: a tar.gz holding {@code main.plist}
 * (XML plist with the matrix shape and the voxel spacing) and {@code matrix.dat} (raw
 * little-endian int16 Hounsfield units, C order z, y, x).
 */
public final class Inv3Reader {
  private static final Pattern MATRIX_SHAPE = Pattern.compile(
      "<key>matrix</key>.*?<key>shape</key>\\s*<array>\\s*<integer>(\\d+)</integer>\\s*<integer>(\\d+)</integer>\\s*<integer>(\\d+)</integer>",
      Pattern.DOTALL);
  private static final Pattern SPACING = Pattern.compile(
      "<key>spacing</key>\\s*<array>\\s*<real>([^<]+)</real>\\s*<real>([^<]+)</real>\\s*<real>([^<]+)</real>", Pattern.DOTALL);

  private Inv3Reader() {}

  /**
   * A CT volume.
   *
   * @param hu Hounsfield units, C order {@code [z][y][x]}
   * @param shape {@code (z, y, x)}
   * @param spacing voxel spacing as stored in the plist (x, y, z order, millimetres)
   */
  public record CtVolume(short[] hu, int[] shape, double[] spacing) {
    /** The value at (z, y, x). */
    public short at(int z, int y, int x) {
      return hu[(z * shape[1] + y) * shape[2] + x];
    }
  }

  /** Reads {@code path}. */
  public static CtVolume read(Path path) throws IOException {
    String plist = null;
    byte[] matrix = null;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(path), 1 << 16)) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "").trim();
        long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
        byte[] body = name.endsWith("main.plist") || name.endsWith("matrix.dat") ? in.readNBytes((int) size) : null;
        if (body == null) {
          in.skipNBytes(size);
        } else if (name.endsWith("main.plist")) {
          plist = new String(body, StandardCharsets.UTF_8);
        } else {
          matrix = body;
        }
        in.skipNBytes((512 - size % 512) % 512);
      }
    }
    if (plist == null || matrix == null) {
      throw new IOException(path + " is not an InVesalius project: main.plist or matrix.dat is missing");
    }
    Matcher s = MATRIX_SHAPE.matcher(plist);
    Matcher sp = SPACING.matcher(plist);
    if (!s.find() || !sp.find()) {
      throw new IOException(path + ": main.plist has no matrix shape or spacing");
    }
    int[] shape = {Integer.parseInt(s.group(1)), Integer.parseInt(s.group(2)), Integer.parseInt(s.group(3))};
    long n = (long) shape[0] * shape[1] * shape[2];
    if (matrix.length != n * 2) {
      throw new IOException(path + ": matrix.dat has " + matrix.length + " bytes, shape needs " + n * 2);
    }
    short[] hu = new short[(int) n];
    ByteBuffer.wrap(matrix).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(hu);
    double[] spacing = {Double.parseDouble(sp.group(1)), Double.parseDouble(sp.group(2)), Double.parseDouble(sp.group(3))};
    return new CtVolume(hu, shape, spacing);
  }

  /** Writes a minimal .inv3 (for tests and for shipping small synthetic volumes). */
  public static void write(Path path, short[] hu, int[] shape, double[] spacing) throws IOException {
    String plist = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n"
        + "\t<key>matrix</key>\n\t<dict>\n\t\t<key>dtype</key>\n\t\t<string>int16</string>\n"
        + "\t\t<key>filename</key>\n\t\t<string>matrix.dat</string>\n\t\t<key>shape</key>\n\t\t<array>\n"
        + "\t\t\t<integer>" + shape[0] + "</integer>\n\t\t\t<integer>" + shape[1] + "</integer>\n\t\t\t<integer>"
        + shape[2] + "</integer>\n\t\t</array>\n\t</dict>\n\t<key>spacing</key>\n\t<array>\n\t\t<real>" + spacing[0]
        + "</real>\n\t\t<real>" + spacing[1] + "</real>\n\t\t<real>" + spacing[2] + "</real>\n\t</array>\n</dict>\n</plist>\n";
    ByteBuffer data = ByteBuffer.allocate(hu.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    data.asShortBuffer().put(hu);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    entry(tar, "project/main.plist", plist.getBytes(StandardCharsets.UTF_8));
    entry(tar, "project/matrix.dat", data.array());
    tar.write(new byte[1024]);
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(path))) {
      tar.writeTo(out);
    }
  }

  private static void entry(ByteArrayOutputStream tar, String name, byte[] body) throws IOException {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, h, 0, n.length);
    putOctal(h, 100, 8, 0644);
    putOctal(h, 108, 8, 0);
    putOctal(h, 116, 8, 0);
    putOctal(h, 124, 12, body.length);
    putOctal(h, 136, 12, 0);
    h[156] = '0';
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    putOctal(h, 148, 7, sum);
    tar.write(h);
    tar.write(body);
    tar.write(new byte[(512 - body.length % 512) % 512]);
  }

  private static void putOctal(byte[] h, int at, int width, long value) {
    String s = String.format("%0" + (width - 1) + "o", value);
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }
}
