package org.jsparse.examples.ct;

import org.jsparse.core.convert.VolumeMasks;

/**
 * One training or test pair of the seed's recipe (Kroviakov et al. 2021, {@code data_skull.py}):
 * the defective skull is the bone outside the defect, the input is its one-voxel edge (the bone
 * minus its 6-connected erosion, so the cut faces are edges too), the implant is the solid bone
 * inside the defect, and the target is the input's edge plus the solid implant. Masks are
 * row-major {@code (z * r + y) * r + x}.
 */
public record ImplantCase(int resolution, boolean[] input, boolean[] implant) {
  /** Cuts {@code defect} out of the solid {@code bone} of an {@code r^3} grid. */
  public static ImplantCase cut(boolean[] bone, int r, Defects.Defect defect) {
    if (bone.length != r * r * r) {
      throw new IllegalArgumentException("the bone mask has " + bone.length + " voxels, not " + r + "^3");
    }
    boolean[] defective = new boolean[bone.length];
    boolean[] implant = new boolean[bone.length];
    for (int i = 0; i < bone.length; i++) {
      if (bone[i]) {
        boolean removed = defect.contains(i / (r * r), i / r % r, i % r);
        implant[i] = removed;
        defective[i] = !removed;
      }
    }
    return new ImplantCase(r, VolumeMasks.shell(defective, new int[] {r, r, r}), implant);
  }

  /** What the network should predict: the input's edge and the solid implant. */
  public boolean[] target() {
    boolean[] t = new boolean[input.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = input[i] || implant[i];
    }
    return t;
  }

  /** Voxels of the solid implant. */
  public int implantVoxels() {
    int n = 0;
    for (boolean b : implant) {
      n += b ? 1 : 0;
    }
    return n;
  }
}
