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
 * One simulated acquisition window: {@code frames} CorrMap frames of a {@code width}^dims field
 * (2D+time or 3D+time) with the bubbles' true positions on the 8x finer output grid, and the
 * sparse tensors the network trains on: input sites at spatial tensor stride 8 (coordinates x8)
 * and time stride 1, where {@code |c|^2} passes the threshold (or among the top k), features
 * (Re c, Im c); truth sites on the fine grid, feature 1. Coordinates are {@code (batch, x, [y,] z, t)}.
 */
public final class UlmWindow {
  /** Output grid refinement per spatial axis. */
  public static final int SCALE = 8;

  private final int width;
  private final int dims;
  private final int frames;
  private final float[][][] corr;
  private final List<int[]> truth;

  private UlmWindow(int width, int dims, int frames, float[][][] corr, List<int[]> truth) {
    this.width = width;
    this.dims = dims;
    this.frames = frames;
    this.corr = corr;
    this.truth = truth;
  }

  /** Simulates {@code frames} frames of {@code concentration} bubbles flowing through {@code tree}. */
  public static UlmWindow simulate(VesselTree tree, int concentration, int frames, double snrDb, SplittableRandom rnd) {
    int w = tree.width();
    int dims = tree.dims();
    BubbleFlow flow = new BubbleFlow(tree, concentration, rnd);
    float[][][] corr = new float[frames][][];
    List<int[]> truth = new ArrayList<>();
    for (int t = 0; t < frames; t++) {
      corr[t] = Echoes.corrMap(Echoes.frame(flow, w, dims, snrDb, rnd), w, dims);
      for (int b = 0; b < flow.count(); b++) {
        double[] p = flow.position(b);
        int[] fine = new int[dims + 1];
        boolean inside = true;
        for (int a = 0; a < dims; a++) {
          fine[a] = (int) Math.floor(p[a] * SCALE);
          inside &= fine[a] >= 0 && fine[a] < w * SCALE;
        }
        fine[dims] = t;
        if (inside) {
          truth.add(fine);
        }
      }
      flow.step();
    }
    return new UlmWindow(w, dims, frames, corr, truth);
  }

  public int width() {
    return width;
  }

  /** Spatial axes: 2 or 3. */
  public int dims() {
    return dims;
  }

  public int frames() {
    return frames;
  }

  /** {@code |c|^2} of the pixel with flat index {@code i} (axis 0 fastest) in frame t. */
  public double power(int t, int i) {
    float re = corr[t][0][i];
    float im = corr[t][1][i];
    return re * re + im * im;
  }

  /** {@code |c|^2} of pixel {@code px} in frame t. */
  public double power(int t, int[] px) {
    return power(t, Echoes.index(px, width));
  }

  /** {@code |c|^2} of planar pixel (x, z) in frame t. */
  public double power(int t, int x, int z) {
    return power(t, new int[] {x, z});
  }

  /** The bubbles' fine-grid positions {x, [y,] z, t} inside the field, one per bubble and frame. */
  public List<int[]> truth() {
    return List.copyOf(truth);
  }

  /**
   * Input pixels {x, [y,] z, t}: those with {@code |c|^2 > threshold}, or, with {@code topK > 0},
   * the topK strongest of the whole window (ties to the earlier pixel). At least one pixel is kept.
   */
  public int[][] inputPixels(double threshold, int topK) {
    int n = Echoes.pixels(width, dims);
    List<int[]> kept = new ArrayList<>();
    if (topK > 0) {
      long total = (long) frames * n;
      Integer[] order = new Integer[(int) total];
      double[] power = new double[(int) total];
      for (int i = 0; i < total; i++) {
        order[i] = i;
        power[i] = power(i / n, i % n);
      }
      Arrays.sort(order, (a, b) -> Double.compare(power[b], power[a]));
      for (int i = 0; i < Math.min(topK, total); i++) {
        kept.add(site(order[i] % n, order[i] / n));
      }
    } else {
      int best = 0;
      double bestPower = -1;
      for (int t = 0; t < frames; t++) {
        for (int i = 0; i < n; i++) {
          double p = power(t, i);
          if (p > threshold) {
            kept.add(site(i, t));
          }
          if (p > bestPower) {
            bestPower = p;
            best = t * n + i;
          }
        }
      }
      if (kept.isEmpty()) {
        kept.add(site(best % n, best / n));
      }
    }
    return kept.toArray(new int[0][]);
  }

  private int[] site(int i, int t) {
    int[] px = Echoes.pixel(i, width, dims);
    int[] s = Arrays.copyOf(px, dims + 1);
    s[dims] = t;
    return s;
  }

  private int[] stride(int space) {
    int[] s = new int[dims + 1];
    Arrays.fill(s, space);
    s[dims] = 1;
    return s;
  }

  /** The network input for {@link #inputPixels}: sites at (8 x, ..., t), stride (8, ..., 1), features (Re c, Im c). */
  public SparseTensor input(CoordinateManager cm, double threshold, int topK) {
    int[][] pixels = inputPixels(threshold, topK);
    int[][] rows = new int[pixels.length][dims + 2];
    float[] features = new float[2 * pixels.length];
    for (int r = 0; r < pixels.length; r++) {
      int[] p = pixels[r];
      for (int a = 0; a < dims; a++) {
        rows[r][1 + a] = SCALE * p[a];
      }
      rows[r][dims + 1] = p[dims];
      int i = Echoes.index(Arrays.copyOf(p, dims), width);
      features[2 * r] = corr[p[dims]][0][i];
      features[2 * r + 1] = corr[p[dims]][1][i];
    }
    return SparseTensor.create(cm, Coordinates.of(rows), TensorStride.of(stride(SCALE)),
        Nd4j.create(features, new long[] {pixels.length, 2}, 'c'));
  }

  /** The truth at stride 1: every bubble's fine position per frame, grown by {@code dilate} fine pixels in space; null when empty. */
  public SparseTensor target(CoordinateManager cm, int dilate) {
    LinkedHashSet<List<Integer>> sites = new LinkedHashSet<>();
    int fine = width * SCALE;
    int side = 2 * dilate + 1;
    int box = (int) Math.pow(side, dims);
    for (int[] p : truth) {
      for (int k = 0; k < box; k++) {
        List<Integer> s = new ArrayList<>(dims + 2);
        s.add(0);
        boolean inside = true;
        int[] step = Echoes.pixel(k, side, dims);
        for (int a = 0; a < dims; a++) {
          int v = p[a] + step[a] - dilate;
          inside &= v >= 0 && v < fine;
          s.add(v);
        }
        s.add(p[dims]);
        if (inside) {
          sites.add(s);
        }
      }
    }
    if (sites.isEmpty()) {
      return null;
    }
    int[][] rows = sites.stream().map(s -> s.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    return SparseTensor.create(cm, Coordinates.of(rows), TensorStride.uniform(dims + 1, 1),
        Nd4j.ones(DataType.FLOAT, rows.length, 1));
  }
}
