package org.jsparse.examples.ct;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a uint8 label volume as a single-file NIfTI-1 ({@code .nii}) that ITK-SNAP, 3D Slicer,
 * FSLeyes or nibabel open: 348-byte header, 4 extension bytes, then the voxels with x fastest.
 */
public final class Nifti {
  private Nifti() {}

  /**
   * Writes {@code labels} (row-major {@code (z * ny + y) * nx + x}, as the examples hold volumes)
   * of shape {@code [nz, ny, nx]} with isotropic voxels of {@code voxelMm} millimetres.
   */
  public static void writeLabels(Path file, byte[] labels, int[] shape, double voxelMm) throws IOException {
    int nz = shape[0];
    int ny = shape[1];
    int nx = shape[2];
    if (labels.length != nz * ny * nx) {
      throw new IllegalArgumentException(labels.length + " labels for a " + nz + "x" + ny + "x" + nx + " volume");
    }
    ByteBuffer h = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0, 348); // sizeof_hdr
    h.putShort(40, (short) 3); // dim[0]: three dimensions
    h.putShort(42, (short) nx); // NIfTI's i axis varies fastest: our x
    h.putShort(44, (short) ny);
    h.putShort(46, (short) nz);
    for (int i = 4; i <= 7; i++) {
      h.putShort(40 + 2 * i, (short) 1);
    }
    h.putShort(70, (short) 2); // datatype: DT_UINT8
    h.putShort(72, (short) 8); // bitpix
    h.putFloat(76, 1f); // pixdim[0]: qfac
    for (int i = 1; i <= 3; i++) {
      h.putFloat(76 + 4 * i, (float) voxelMm);
    }
    h.putFloat(108, 352f); // vox_offset
    h.putFloat(112, 1f); // scl_slope
    h.put(123, (byte) 10); // xyzt_units: mm and seconds
    h.putShort(254, (short) 1); // sform_code: scanner coordinates, the affine below
    float[][] affine = {{(float) voxelMm, 0, 0, 0}, {0, (float) voxelMm, 0, 0}, {0, 0, (float) voxelMm, 0}};
    for (int row = 0; row < 3; row++) {
      for (int c = 0; c < 4; c++) {
        h.putFloat(280 + 16 * row + 4 * c, affine[row][c]);
      }
    }
    byte[] magic = "n+1\0".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 4; i++) {
      h.put(344 + i, magic[i]);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(h.array()); // includes the 4 zero extension bytes at 348
      out.write(labels);
    }
  }
}
