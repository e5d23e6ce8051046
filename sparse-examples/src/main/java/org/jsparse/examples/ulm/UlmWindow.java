package org.jsparse.examples.ulm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One simulated acquisition window: {@code frames} CorrMap frames of a {@code width}^2 field
 * (2D+time) with the bubbles' true positions on the 8x finer output grid, and the sparse tensors
 * the network trains on: input sites at spatial tensor stride 8 (coordinates x8) and time stride
 * 1, where {@code |c|^2} passes the threshold (or among the top k), features (Re c, Im c); truth
 * sites {@code (x, z, t)} on the fine grid, feature 1. Coordinates are {@code (batch, x, z, t)}.
 */
public final class UlmWindow {
  /** Output grid refinement per spatial axis. */
  public static final int SCALE = 8;

  private final int width;
  private final int frames;
  private final float[][][] corr;
  private final List<int[]> truth;

  private UlmWindow(int width, int frames, float[][][] corr, List<int[]> truth) {
    this.width = width;
    this.frames = frames;
    this.corr = corr;
    this.truth = truth;
  }

  /** Simulates {@code frames} frames of {@code concentration} bubbles flowing through {@code tree}. */
  public static UlmWindow simulate(VesselTree tree, int concentration, int frames, double snrDb, SplittableRandom rnd) {
    int w = tree.width();
    BubbleFlow flow = new BubbleFlow(tree, concentration, rnd);
    float[][][] corr = new float[frames][][];
    List<int[]> truth = new ArrayList<>();
    for (int t = 0; t < frames; t++) {
      corr[t] = Echoes.corrMap(Echoes.frame(flow, w, snrDb, rnd), w);
      for (int b = 0; b < flow.count(); b++) {
        double[] p = flow.position(b);
        int fx = (int) Math.floor(p[0] * SCALE);
        int fz = (int) Math.floor(p[1] * SCALE);
        if (fx >= 0 && fz >= 0 && fx < w * SCALE && fz < w * SCALE) {
          truth.add(new int[] {fx, fz, t});
        }
      }
      flow.step();
    }
    return new UlmWindow(w, frames, corr, truth);
  }

  public int width() {
    return width;
  }

  public int frames() {
    return frames;
  }

  /** {@code |c|^2} of pixel (x, z) in frame t. */
  public double power(int t, int x, int z) {
    float re = corr[t][0][z * width + x];
    float im = corr[t][1][z * width + x];
    return re * re + im * im;
  }

  /** The bubbles' fine-grid positions {x, z, t} inside the field, one per bubble and frame. */
  public List<int[]> truth() {
    return List.copyOf(truth);
  }

  /**
   * Input pixels: those with {@code |c|^2 > threshold}, or, with {@code topK > 0}, the topK
   * strongest of the whole window (ties to the earlier pixel). At least one pixel is kept.
   */
  public int[][] inputPixels(double threshold, int topK) {
    List<int[]> kept = new ArrayList<>();
    if (topK > 0) {
      int n = frames * width * width;
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      double[] power = new double[n];
      for (int i = 0; i < n; i++) {
        power[i] = power(i / (width * width), i % width, i / width % width);
      }
      Arrays.sort(order, (a, b) -> Double.compare(power[b], power[a]));
      for (int i = 0; i < Math.min(topK, n); i++) {
        int p = order[i];
        kept.add(new int[] {p % width, p / width % width, p / (width * width)});
      }
    } else {
      int best = 0;
      double bestPower = -1;
      for (int t = 0; t < frames; t++) {
        for (int z = 0; z < width; z++) {
          for (int x = 0; x < width; x++) {
            double p = power(t, x, z);
            if (p > threshold) {
              kept.add(new int[] {x, z, t});
            }
            if (p > bestPower) {
              bestPower = p;
              best = (t * width + z) * width + x;
            }
          }
        }
      }
      if (kept.isEmpty()) {
        kept.add(new int[] {best % width, best / width % width, best / (width * width)});
      }
    }
    return kept.toArray(new int[0][]);
  }

  /** The network input for {@link #inputPixels}: sites at (x8, z8, t), stride (8, 8, 1), features (Re c, Im c). */
  public SparseTensor input(CoordinateManager cm, double threshold, int topK) {
    int[][] pixels = inputPixels(threshold, topK);
    int[][] rows = new int[pixels.length][];
    float[] features = new float[2 * pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      int[] p = pixels[i];
      rows[i] = new int[] {0, SCALE * p[0], SCALE * p[1], p[2]};
      features[2 * i] = corr[p[2]][0][p[1] * width + p[0]];
      features[2 * i + 1] = corr[p[2]][1][p[1] * width + p[0]];
    }
    return SparseTensor.create(cm, Coordinates.of(rows), TensorStride.of(new int[] {SCALE, SCALE, 1}),
        Nd4j.create(features, new long[] {pixels.length, 2}, 'c'));
  }

  /** The truth at stride 1: every bubble's fine position per frame, grown by {@code dilate} fine pixels in space. */
  public SparseTensor target(CoordinateManager cm, int dilate) {
    LinkedHashSet<List<Integer>> sites = new LinkedHashSet<>();
    int fine = width * SCALE;
    for (int[] p : truth) {
      for (int dz = -dilate; dz <= dilate; dz++) {
        for (int dx = -dilate; dx <= dilate; dx++) {
          int x = p[0] + dx;
          int z = p[1] + dz;
          if (x >= 0 && z >= 0 && x < fine && z < fine) {
            sites.add(List.of(x, z, p[2]));
          }
        }
      }
    }
    if (sites.isEmpty()) {
      return null;
    }
    int[][] rows = sites.stream().map(s -> new int[] {0, s.get(0), s.get(1), s.get(2)}).toArray(int[][]::new);
    return SparseTensor.create(cm, Coordinates.of(rows), TensorStride.uniform(3, 1),
        Nd4j.ones(DataType.FLOAT, rows.length, 1));
  }
}
