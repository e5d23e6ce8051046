package org.jsparse.benchmarks.layer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

  private static String point(String size, String occupancy, String c, String side) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LayerMemoryPoint.class.getName(), size, occupancy, c, side));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("{")) {
          last = line;
        }
      }
    }
    int rc = p.waitFor();
    return last != null && rc == 0 ? last : "{\"size\":" + size + ",\"occupancy\":" + occupancy + ",\"side\":\"" + side
        + "\",\"error\":\"exit " + rc + "\"}";
  }
}
