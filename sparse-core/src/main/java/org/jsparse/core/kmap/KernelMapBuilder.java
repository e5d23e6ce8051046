package org.jsparse.core.kmap;

import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.jsparse.core.internal.CoordinateHash;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.core.internal.NativeInts;
import org.jsparse.core.internal.CoordinatePacker;

/**
 * Builds kernel maps by looking up, for every output row and every offset, the input coordinate
 * {@code out + sign * offset} in the input's hash (a map of a map onto itself with a symmetric
 * region, the submanifold case, is merged from sorted keys instead: {@link SortedKeyMerge}; for
 * packed tables only, wide ones look every neighbour up in their row hash).
 * Output rows are cut into fixed-size chunks processed in parallel and concatenated in chunk
 * order, so the result does not depend on the number of threads.
 */
final class KernelMapBuilder {
  private static final int CHUNK = 4096;

  private KernelMapBuilder() {}

  /**
   * Pairs for a convolution-like op.
   *
   * @param sign +1 for convolution and pooling ({@code in = out + offset}), -1 for transposed
   *     convolution ({@code in = out - offset})
   */
  static KernelMap build(CoordinatePacker packer, CoordinateMap in, CoordinateTable out, int[][] offsets, int sign,
      long streamAboveBytes, MemoryLedger ledger, NeighbourTables tables) {
    int volume = offsets.length;
    if (needsNoHash(in.table, out, offsets)) {
      // a map onto itself with offsets in mirror pairs (odd hypercubes, hypercrosses...): offset k
      // pairs (i, o) exactly when offset K-1-k pairs (o, i), and the zero centre pairs every row
      // with itself; merged from sorted keys, no hash, and only the first half stored (or nothing)
      return SortedKeyMerge.mirroredMap(packer, in.table, offsets, sign, streamAboveBytes, ledger);
    }
    in.hash.checkOpen();
    Supplier<Neighbours> finders;
    if (in.table.isWide()) { // a wide finder keeps scratch rows: one per chunk
      finders = () -> new WideMaps.Neighbours(out, in.hash.wide(), offsets, sign, packer.dimension());
    } else { // a packed one holds only the offsets' key deltas, computed once and shared by every chunk
      PackedNeighbours shared = new PackedNeighbours(packer, out, in.hash.packed(), offsets, sign,
          in.key.stride().toArray());
      finders = () -> shared;
    }
    return concatenate(lookUp(finders, out.size(), volume, ledger, tables), volume, in.size(), out.size());
  }

  /** True when a map from {@code in} to {@code out} with these offsets is built without the input's hash. */
  static boolean needsNoHash(CoordinateTable in, CoordinateTable out, int[][] offsets) {
    return in == out && !in.isWide() && isSymmetric(offsets);
  }

  private static boolean isSymmetric(int[][] offsets) {
    int volume = offsets.length;
    if (volume % 2 == 0) {
      return false;
    }
    for (int k = 0; k < volume; k++) {
      for (int a = 0; a < offsets[k].length; a++) {
        if (offsets[k][a] != -offsets[volume - 1 - k][a]) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The pairs one chunk of output rows found, per offset, in native memory: offset k's input rows
   * are {@code ins[start[k], start[k+1])}, their output rows the same range of {@code outs}.
   */
  private record Chunk(NativeInts ins, NativeInts outs, int[] start, Allocation bytes) implements AutoCloseable {
    int count(int k) {
      return start[k + 1] - start[k];
    }

    @Override
    public void close() {
      ins.close();
      outs.close();
      bytes.close();
    }
  }

  /**
   * Finds the input rows of the neighbours of output rows {@code [lo, hi)}: {@code into[(o - lo) * K + k]}
   * for offset k, -1 where there is none. One call per chunk, so each layout's loop is compiled whole.
   */
  interface Neighbours {
    void find(int lo, int hi, int[] into);
  }

  /**
   * Neighbours of packed rows: {@code key + delta_k} looked up in the input's key hash. When every
   * output has one candidate input (a transposed map whose kernel is its stride, the generative
   * upsampling of a U-Net's decoder: the input is the output floored to the input's stride), one
   * lookup per output instead of one per offset: every other candidate is off the input's grid,
   * where no input row can be (rows are multiples of their tensor stride).
   */
  private static final class PackedNeighbours implements Neighbours {
    private final CoordinatePacker packer;
    private final CoordinateTable out;
    private final CoordinateHash hash;
    private final int[][] offsets;
    private final int sign;
    private final long[] delta;
    /** Input tensor stride per axis. */
    private final int[] inStride;
    /** For a one-candidate map: the offset of each cell position (mixed radix over the axes), else null. */
    private final int[] offsetOfCell;
    /** Per axis, the offset step (the output's stride) and the radix of the cell position. */
    private final int[] step;
    private final int[] radix;

    PackedNeighbours(CoordinatePacker packer, CoordinateTable out, CoordinateHash hash, int[][] offsets, int sign,
        int[] inStride) {
      this.packer = packer;
      this.out = out;
      this.hash = hash;
      this.offsets = offsets;
      this.sign = sign;
      this.inStride = inStride;
      this.delta = NeighbourQuery.deltas(packer, offsets, sign);
      this.step = new int[packer.dimension()];
      this.radix = new int[packer.dimension()];
      this.offsetOfCell = sign < 0 ? oneCandidateCells(offsets, inStride, step, radix) : null;
    }

    /**
     * When the offsets tile one input cell ({@link DerivedMaps#tilesOneCell}): the offset index of
     * every cell position, filling {@code step} (an axis's smallest positive offset, or the stride
     * where all are 0) and {@code radix}; else null.
     */
    private static int[] oneCandidateCells(int[][] offsets, int[] inStride, int[] step, int[] radix) {
      if (!DerivedMaps.tilesOneCell(offsets, inStride)) {
        return null;
      }
      for (int a = 0; a < step.length; a++) {
        step[a] = inStride[a];
        for (int[] off : offsets) {
          if (off[a] > 0) {
            step[a] = Math.min(step[a], off[a]);
          }
        }
        radix[a] = inStride[a] / step[a];
      }
      int[] offsetOf = new int[offsets.length];
      for (int k = 0; k < offsets.length; k++) {
        int cell = 0;
        for (int a = 0; a < step.length; a++) {
          cell = cell * radix[a] + offsets[k][a] / step[a];
        }
        offsetOf[cell] = k;
      }
      return offsetOf;
    }

    @Override
    public void find(int lo, int hi, int[] into) {
      int volume = offsets.length;
      if (offsetOfCell != null) {
        findOneCandidate(lo, hi, into);
        return;
      }
      for (int o = lo; o < hi; o++) {
        long key = out.key(o);
        int at = (o - lo) * volume;
        for (int k = 0; k < volume; k++) {
          into[at + k] = staysInRange(key, offsets[k]) ? hash.get(key + delta[k]) : -1;
        }
      }
    }

    private void findOneCandidate(int lo, int hi, int[] into) {
      int volume = offsets.length;
      java.util.Arrays.fill(into, 0, (hi - lo) * volume, -1);
      for (int o = lo; o < hi; o++) {
        long key = out.key(o);
        int cell = 0;
        boolean onGrid = true;
        for (int a = 0; a < step.length; a++) {
          int r = Math.floorMod(packer.axisOf(key, a), inStride[a]);
          onGrid &= r % step[a] == 0;
          cell = cell * radix[a] + r / step[a];
        }
        if (onGrid) {
          int k = offsetOfCell[cell];
          into[(o - lo) * volume + k] = staysInRange(key, offsets[k]) ? hash.get(key + delta[k]) : -1;
        }
      }
    }

    private boolean staysInRange(long key, int[] offset) {
      for (int a = 0; a < offset.length; a++) {
        if (!packer.inRange(packer.axisOf(key, a) + sign * offset[a])) {
          return false;
        }
      }
      return true;
    }
  }

  /** Per chunk of output rows, the input rows found per offset and their output rows. */
  private static Chunk[] lookUp(Supplier<Neighbours> finders, int n, int volume, MemoryLedger ledger,
      NeighbourTables tables) {
    int chunks = (n + CHUNK - 1) / CHUNK;
    Chunk[] result = new Chunk[chunks];
    IntStream.range(0, chunks).parallel().forEach(c -> {
      int lo = c * CHUNK;
      int hi = Math.min(n, lo + CHUNK);
      int len = hi - lo;
      Neighbours finder = finders.get();
      int[] neighbour = tables.take(CHUNK * volume);
      int[] start = new int[volume + 1];
      finder.find(lo, hi, neighbour);
      for (int i = 0; i < len * volume; i++) {
        if (neighbour[i] >= 0) {
          start[i % volume + 1]++;
        }
      }
      for (int k = 0; k < volume; k++) {
        start[k + 1] += start[k];
      }
      NativeInts ins = new NativeInts(start[volume]);
      NativeInts outs = new NativeInts(start[volume]);
      int[] fill = java.util.Arrays.copyOf(start, volume);
      for (int i = 0; i < len; i++) {
        for (int k = 0; k < volume; k++) {
          int row = neighbour[i * volume + k];
          if (row >= 0) {
            ins.set(fill[k], row);
            outs.set(fill[k]++, lo + i);
          }
        }
      }
      tables.give(neighbour);
      result[c] = new Chunk(ins, outs, start,
          ledger.acquire(MemoryCategory.WORKSPACE, ins.bytes() + outs.bytes(), "kernel map build"));
    });
    return result;
  }

  /** Copies offsets {@code 0..offsets-1} of every chunk, in chunk order, to {@code start[k]} of the final arrays; frees the chunks. */
  private static void gather(Chunk[] chunks, int offsets, int[] start, NativeInts ins, NativeInts outs) {
    IntStream.range(0, offsets).parallel().forEach(k -> {
      int p = start[k];
      for (Chunk c : chunks) {
        int len = c.count(k);
        ins.copyFrom(c.ins(), c.start()[k], p, len);
        outs.copyFrom(c.outs(), c.start()[k], p, len);
        p += len;
      }
    });
    for (Chunk c : chunks) {
      c.close();
    }
  }

  private static KernelMap concatenate(Chunk[] chunks, int volume, int inRows, int outRows) {
    int[] start = new int[volume + 1];
    for (int k = 0; k < volume; k++) {
      int total = 0;
      for (Chunk c : chunks) {
        total += c.count(k);
      }
      start[k + 1] = start[k] + total;
    }
    NativeInts in = new NativeInts(start[volume]);
    NativeInts out = new NativeInts(start[volume]);
    gather(chunks, volume, start, in, out);
    return new KernelMap(start, in, out, inRows, outRows, false, true);
  }

}
