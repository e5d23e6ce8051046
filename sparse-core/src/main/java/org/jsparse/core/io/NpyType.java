package org.jsparse.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A NumPy dtype as the {@code descr} of a {@code .npy} header names it ({@code <i8}, {@code |b1},
 * {@code >f4}...), and how its values become the int32, float32 or float64 of an {@link Npy.Array}.
 */
final class NpyType {
  private final char kind;
  private final int width;
  private final ByteOrder order;
  private final String descr;

  private NpyType(char kind, int width, ByteOrder order, String descr) {
    this.kind = kind;
    this.width = width;
    this.order = order;
    this.descr = descr;
  }

  /** Parses a descr; anything but bool, (unsigned) integers and floats fails naming {@code source}. */
  static NpyType of(String descr, String source) throws IOException {
    if (descr.length() >= 3 && "<>|=".indexOf(descr.charAt(0)) >= 0) {
      char kind = descr.charAt(1);
      int width;
      try {
        width = Integer.parseInt(descr.substring(2));
      } catch (NumberFormatException e) {
        width = -1;
      }
      boolean known = switch (kind) {
        case 'b' -> width == 1;
        case 'i', 'u' -> width == 1 || width == 2 || width == 4 || width == 8;
        case 'f' -> width == 2 || width == 4 || width == 8;
        default -> false;
      };
      if (known) {
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN
            : descr.charAt(0) == '=' ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
        return new NpyType(kind, width, order, descr);
      }
    }
    throw new IOException(source + " has dtype '" + descr + "'; arrays here must be bool, integer or float "
        + "(convert with a.astype(np.float32) or a.astype(np.int32))");
  }

  int width() {
    return width;
  }

  ByteOrder order() {
    return order;
  }

  @Override
  public String toString() {
    String name = switch (kind) {
      case 'b' -> "bool";
      case 'i' -> "int" + 8 * width;
      case 'u' -> "uint" + 8 * width;
      default -> "float" + 8 * width;
    };
    return name + " (" + descr + ")";
  }

  /** The values, integers and bools as int32 (range-checked), float16 widened to float32. */
  Npy.Array decode(ByteBuffer b, int n, long[] shape, String source) throws IOException {
    if (kind == 'f') {
      if (width == 8) {
        double[] v = new double[n];
        b.asDoubleBuffer().get(v);
        return new Npy.Array(shape, null, null, v);
      }
      float[] v = new float[n];
      if (width == 4) {
        b.asFloatBuffer().get(v);
      } else {
        for (int i = 0; i < n; i++) {
          v[i] = halfToFloat(b.getShort(2 * i));
        }
      }
      return new Npy.Array(shape, null, v, null);
    }
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      long x = switch (width) {
        case 1 -> kind == 'i' ? b.get(i) : b.get(i) & 0xff;
        case 2 -> kind == 'i' ? b.getShort(2 * i) : b.getShort(2 * i) & 0xffff;
        case 4 -> kind == 'u' ? b.getInt(4 * i) & 0xffffffffL : b.getInt(4 * i);
        default -> b.getLong(8 * i);
      };
      if (kind == 'b') {
        x = x != 0 ? 1 : 0;
      }
      boolean unsignedAbove63 = kind == 'u' && width == 8 && x < 0;
      if (unsignedAbove63 || x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
        throw new IOException(source + ": element " + i + " of the " + this + " array is "
            + (unsignedAbove63 ? Long.toUnsignedString(x) : Long.toString(x)) + ", outside int32; "
            + "values here are read as int32");
      }
      v[i] = (int) x;
    }
    return new Npy.Array(shape, v, null, null);
  }

  /** IEEE 754 binary16 to float, subnormals, infinities and NaN included. */
  static float halfToFloat(short h) {
    int sign = (h >>> 15) & 1;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    float magnitude;
    if (exp == 0) {
      magnitude = mant * 0x1p-24f;
    } else if (exp == 31) {
      magnitude = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else {
      magnitude = Float.intBitsToFloat((exp - 15 + 127) << 23 | mant << 13);
    }
    return sign == 1 ? -magnitude : magnitude;
  }

  /** The same array with its elements moved from Fortran (column-major) to C (row-major) order. */
  static Npy.Array fortranToC(Npy.Array a) {
    long[] shape = a.shape();
    int n = a.length();
    int[] fromF = new int[n]; // C index -> Fortran index
    int[] index = new int[shape.length];
    for (int c = 0; c < n; c++) {
      int f = 0;
      int stride = 1;
      for (int d = 0; d < shape.length; d++) {
        f += index[d] * stride;
        stride *= (int) shape[d];
      }
      fromF[c] = f;
      for (int d = shape.length - 1; d >= 0; d--) { // next C index: the last axis moves fastest
        if (++index[d] < shape[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    if (a.ints() != null) {
      int[] v = new int[n];
      for (int c = 0; c < n; c++) {
        v[c] = a.ints()[fromF[c]];
      }
      return new Npy.Array(shape, v, null, null);
    }
    if (a.floats() != null) {
      float[] v = new float[n];
      for (int c = 0; c < n; c++) {
        v[c] = a.floats()[fromF[c]];
      }
      return new Npy.Array(shape, null, v, null);
    }
    double[] v = new double[n];
    for (int c = 0; c < n; c++) {
      v[c] = a.doubles()[fromF[c]];
    }
    return new Npy.Array(shape, null, null, v);
  }
}
