package org.jsparse.core.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads a single-file NIfTI-1 volume ({@code .nii}, or gzipped {@code .nii.gz}), the format of
 * MRI templates, atlases and most medical-imaging tools: the 348-byte header (either byte order),
 * then the voxels from {@code vox_offset}, scaled by {@code scl_slope} / {@code scl_inter} when the
 * slope is set. Integer and float voxel types of 8 to 64 bits; 3-D volumes (a 4-D file with one
 * time point is read as 3-D).
 */
public final class NiftiReader {
  private NiftiReader() {}

  /**
   * A NIfTI volume.
   *
   * @param values voxel values after scaling, C order {@code [z][y][x]} (NIfTI's i axis is our x, fastest)
   * @param shape {@code (z, y, x)}
   * @param spacing voxel size in the file's units (x, y, z order; millimetres for most files)
   */
  public record NiftiVolume(float[] values, int[] shape, double[] spacing) {
    /** The value at (z, y, x). */
    public float at(int z, int y, int x) {
      return values[(z * shape[1] + y) * shape[2] + x];
    }

    /** A mask of the voxels whose value is above {@code threshold}, in the order of {@link #values}. */
    public boolean[] above(double threshold) {
      boolean[] mask = new boolean[values.length];
      for (int i = 0; i < values.length; i++) {
        mask[i] = values[i] > threshold;
      }
      return mask;
    }
  }

  /** Reads {@code path}; a name ending in {@code .gz} is decompressed. */
  public static NiftiVolume read(Path path) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        InputStream in = path.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
      byte[] headerBytes = in.readNBytes(348);
      if (headerBytes.length < 348) {
        throw new IOException(path + ": " + headerBytes.length + " bytes, shorter than a NIfTI-1 header (348)");
      }
      ByteBuffer h = ByteBuffer.wrap(headerBytes).order(ByteOrder.LITTLE_ENDIAN);
      if (h.getInt(0) != 348) {
        h.order(ByteOrder.BIG_ENDIAN);
        if (h.getInt(0) != 348) {
          throw new IOException(path + " is not a NIfTI-1 file (sizeof_hdr is not 348 in either byte order)");
        }
      }
      String magic = new String(headerBytes, 344, 3, java.nio.charset.StandardCharsets.US_ASCII);
      if (!magic.equals("n+1")) {
        throw new IOException(path + ": magic '" + magic.trim() + "' is not 'n+1'; only single-file NIfTI-1 is read "
            + "(a .hdr/.img pair or NIfTI-2 is not)");
      }
      int rank = h.getShort(40);
      int[] dims = new int[rank];
      for (int d = 0; d < rank; d++) {
        dims[d] = h.getShort(42 + 2 * d);
      }
      if (rank < 3 || rank > 4 || (rank == 4 && dims[3] != 1)) {
        throw new IOException(path + ": " + rank + "-D image " + java.util.Arrays.toString(dims)
            + "; a 3-D volume (or 4-D with one time point) is expected");
      }
      int nx = dims[0];
      int ny = dims[1];
      int nz = dims[2];
      int type = h.getShort(70);
      int bytes = bytesPerVoxel(type, path);
      long offset = (long) h.getFloat(108);
      float slope = h.getFloat(112);
      float inter = h.getFloat(116);
      long count = (long) nx * ny * nz;
      if (count > Integer.MAX_VALUE / bytes) {
        throw new IOException(path + ": " + nx + "x" + ny + "x" + nz + " voxels are more than one array can hold");
      }
      in.skipNBytes(Math.max(0, offset - 348));
      byte[] data = in.readNBytes((int) count * bytes);
      if (data.length != count * bytes) {
        throw new IOException(path + " ends after " + data.length + " of " + count * bytes + " voxel bytes");
      }
      ByteBuffer v = ByteBuffer.wrap(data).order(h.order());
      float[] values = new float[(int) count];
      boolean scaled = slope != 0 && Float.isFinite(slope) && !(slope == 1 && inter == 0);
      for (int i = 0; i < values.length; i++) {
        float x = voxel(v, type, i);
        values[i] = scaled ? x * slope + inter : x;
      }
      double[] spacing = {h.getFloat(80), h.getFloat(84), h.getFloat(88)};
      return new NiftiVolume(values, new int[] {nz, ny, nx}, spacing);
    }
  }

  private static int bytesPerVoxel(int type, Path path) throws IOException {
    return switch (type) {
      case 2, 256 -> 1; // uint8, int8
      case 4, 512 -> 2; // int16, uint16
      case 8, 768, 16 -> 4; // int32, uint32, float32
      case 64 -> 8; // float64
      default -> throw new IOException(path + ": NIfTI datatype " + type
          + " is not read (uint8, int8, int16, uint16, int32, uint32, float32 and float64 are)");
    };
  }

  private static float voxel(ByteBuffer v, int type, int i) {
    return switch (type) {
      case 2 -> v.get(i) & 0xff;
      case 256 -> v.get(i);
      case 4 -> v.getShort(2 * i);
      case 512 -> v.getShort(2 * i) & 0xffff;
      case 8 -> v.getInt(4 * i);
      case 768 -> v.getInt(4 * i) & 0xffffffffL;
      case 16 -> v.getFloat(4 * i);
      default -> (float) v.getDouble(8 * i);
    };
  }
}
