package org.jsparse.benchmarks.layer;

import java.util.List;
import org.jsparse.benchmarks.DenseLayerCase;
import org.jsparse.benchmarks.PointJvm;

/**
 * The layer-memory table: for each grid size, occupancy and channel count, {@link LayerMemoryPoint}
 * in a fresh JVM (default options) for our sparse layer and for ND4J's dense conv3d; one JSON line
 * per point. Usage: {@code LayerMemoryRunner [sizes] [occupancies] [channels]}, comma-separated
 * (defaults 32,64,128 / 0.005,0.02,0.1,0.3 / 16).
 */
public final class LayerMemoryRunner {
  private LayerMemoryRunner() {}

  public static void main(String[] args) throws Exception {
    String[] sizes = (args.length > 0 ? args[0] : "32,64,128").split(",");
    String[] occupancies = (args.length > 1 ? args[1] : "0.005,0.02,0.1,0.3").split(",");
    String[] channels = (args.length > 2 ? args[2] : "16").split(",");
    for (String size : sizes) {
      for (String c : channels) {
        for (String occupancy : occupancies) {
          for (String side : new String[] {"sparse", "dense"}) {
            System.out.println(point(size.trim(), occupancy.trim(), c.trim(), side));
          }
        }
      }
    }
  }

  /** One point in a fresh JVM: its JSON line (an error line when the JVM failed). */
  public static String point(String size, String occupancy, String c, String side) throws Exception {
    return point(size, occupancy, c, side, "random");
  }

  /** One point on {@code volume} ({@code random}, or a real shell: {@code skull}, {@code brain}) in a fresh JVM. */
  public static String point(String size, String occupancy, String c, String side, String volume) throws Exception {
    if (volume.equals("random")) {
      return outcome(PointJvm.run(List.of(), LayerMemoryPoint.class, false, size, occupancy, c, side, volume), size,
          occupancy, side);
    }
    java.nio.file.Path file = java.nio.file.Files.createTempFile("layer-" + volume + "-", ".bin");
    try {
      DenseLayerCase.writeSites(file, DenseLayerCase.sites(Integer.parseInt(size), 0, volume));
      return outcome(PointJvm.run(List.of(), LayerMemoryPoint.class, false, size, occupancy, c, side, volume,
          file.toString()), size, occupancy, side);
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  private static String outcome(PointJvm.Outcome o, String size, String occupancy, String side) {
    return o.orElse("{\"size\":" + size + ",\"occupancy\":" + occupancy + ",\"side\":\"" + side
        + "\",\"error\":\"exit " + o.exitCode() + "\"}");
  }
}
