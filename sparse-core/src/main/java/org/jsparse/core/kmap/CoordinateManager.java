package org.jsparse.core.kmap;

import java.util.ArrayList;
import org.jsparse.core.backend.Backend;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jsparse.core.internal.KeyRangeException;
import org.jsparse.core.internal.CoordinatePacker;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;

/**
 * Owns the coordinate maps of one batch and the cache of kernel maps between them. Passed
 * explicitly to everything that needs it; there is no global manager. Every map and cached kernel
 * map is counted in this manager's {@link MemoryLedger}. Close it when the batch is done: closing
 * drops every map and gives their bytes back. Methods are thread-safe.
 */
public final class CoordinateManager implements AutoCloseable {
  /** Default bound on the number of cached kernel maps. */
  public static final int DEFAULT_CACHE_CAPACITY = 128;
  /** Default of {@link #streamKernelMapsAbove}: 64 MiB of stored pairs. */
  public static final long DEFAULT_STREAM_ABOVE_BYTES = 64L << 20;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CoordinateManager.class);

  private final int dimension;
  private final CoordinatePacker packer;
  /** Whether the maps keep wide rows instead of packed keys; set once, never reset. */
  private boolean wide;
  private final MemoryLedger ledger;
  private final Backend backend;
  private final boolean ownsBackend;
  private final Map<CoordinateMapKey, CoordinateMap> maps = new HashMap<>();
  private final Map<List<Object>, CoordinateMapKey> derivedMaps = new HashMap<>();
  private final KernelMapCache kernelMaps;
  private final NeighbourTables neighbourTables = new NeighbourTables();
  private final RecentHashes hashes;
  private final OpenTensors openTensors = new OpenTensors();
  private long streamMapsAboveBytes = DEFAULT_STREAM_ABOVE_BYTES;
  private int nextId;
  private boolean closed;

  /** A manager for D spatial axes on a CPU backend of its own, with the default kernel-map cache bound. */
  public CoordinateManager(int dimension) {
    this(dimension, DEFAULT_CACHE_CAPACITY);
  }

  /** A manager for D spatial axes on a CPU backend of its own, keeping at most {@code cacheCapacity} kernel maps. */
  public CoordinateManager(int dimension, int cacheCapacity) {
    this(dimension, cacheCapacity, org.jsparse.core.backend.Backends.cpu(), true);
  }

  /**
   * A manager whose tensors live on {@code backend} ({@code Backends.cpu()}, {@code
   * Backends.get("cuda", 0)}). The backend stays the caller's: one backend can serve the managers
   * of many batches, and the caller closes it at the end.
   */
  public CoordinateManager(int dimension, Backend backend) {
    this(dimension, DEFAULT_CACHE_CAPACITY, backend, false);
  }

  private CoordinateManager(int dimension, int cacheCapacity, Backend backend,
      boolean ownsBackend) {
    this.backend = java.util.Objects.requireNonNull(backend, "backend");
    this.ownsBackend = ownsBackend;
    this.dimension = dimension;
    this.packer = new CoordinatePacker(dimension);
    this.ledger = new MemoryLedger(backend.device());
    this.kernelMaps = new KernelMapCache(ledger, cacheCapacity);
    this.hashes = new RecentHashes(ledger);
  }

  /**
   * Submanifold maps (a map onto itself with a symmetric region) whose stored pairs would take
   * more than {@code bytes} are built <em>streamed</em> from now on: they keep only the rows sorted
   * by key (12 bytes a row) and merge each offset's pairs again whenever an op runs (a linear pass
   * per offset, a few tenths of a second per million rows and op). The stored half of a map costs
   * 8 bytes a pair, so this bounds the largest maps of a big volume. A dense map (at least 60 % of
   * its rows x K slots paired) whose rows are not in key order is streamed at any size: the CPU
   * convolution merges its pairs per tile faster than it would walk a stored one in expanded
   * parts (measured on a CompletionNet step at R=256: kernel maps
   * 55 -> 13 MB, the ledger's peak 0.191 -> 0.145 GB, same time). {@code Long.MAX_VALUE} stores
   * every map, 0 streams every one. Results are identical either way.
   */
  public synchronized CoordinateManager streamKernelMapsAbove(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("a streaming threshold is a number of bytes >= 0, got " + bytes);
    }
    this.streamMapsAboveBytes = bytes;
    return this;
  }

  /** Number of spatial axes D of every map in this manager. */
  public int dimension() {
    return dimension;
  }

  /**
   * Whether this manager keeps its coordinates wide: {@code 1+D} ints a row, any int32 coordinate
   * and batch index. A manager starts packed (one 63-bit key a row: D=1 +-2^31 with 2^31 batch
   * items, D=2 +-2^23 and 2^15, D=3 +-131072 and 512, D=4 +-8192 and 128), the fast path, and widens
   * every map of its own the first time a row does not pack (an insert, a strided floor or a
   * generative offset), logged at INFO. Wide kernel maps are built from hash lookups only, slower than
   * the packed path's sorted merges.
   */
  public synchronized boolean wideKeys() {
    return wide;
  }

  /** Widens this manager's keys now (see {@link #wideKeys}); for coordinates known to need it. */
  public synchronized CoordinateManager useWideKeys() {
    checkOpen();
    widen("requested");
    return this;
  }

  private void widen(String why) {
    if (wide) {
      return;
    }
    LOG.info("coordinate manager (D={}) switches to wide keys ({} ints a row, kernel maps from hash lookups only): {}",
        dimension, dimension + 1, why);
    hashes.dropAll();
    for (CoordinateMap m : maps.values()) {
      m.widen(ledger);
    }
    wide = true;
  }

  /** The backend that holds this manager's tensors and runs their ops. */
  public Backend backend() {
    return backend;
  }

  /** The accounting point for everything allocated under this manager. */
  public MemoryLedger memory() {
    return ledger;
  }

  /**
   * Adds user coordinates at a tensor stride. Rows must be unique, multiples of the stride on
   * every axis, with batch indices >= 0; any int32 coordinate is allowed (rows beyond the packed
   * range widen the manager: {@link #wideKeys}). Each failure says which row and how to fix it.
   */
  public synchronized CoordinateMapKey insert(Coordinates coords, TensorStride stride) {
    checkOpen();
    if (coords.dimension() != dimension || stride.dimension() != dimension) {
      throw new IllegalArgumentException(
          "this manager holds D=" + dimension + " coordinates; got coordinates with D=" + coords.dimension()
              + " at tensor stride " + stride);
    }
    UserRows.checkStride(coords, stride);
    DerivedMaps.Built b = packedOrWide(() -> UserRows.pack(packer, coords), () -> UserRows.packWide(coords, dimension));
    return register(stride, "input", b.table(), b.hash(), null);
  }

  private CoordinateMapKey register(TensorStride stride, String what, CoordinateTable table,
      SiteHash hash, CoordinateMapKey derivedFrom) {
    CoordinateMapKey key = new CoordinateMapKey(stride, what + "#" + nextId++, this);
    Allocation a = ledger.acquire(MemoryCategory.COORDINATES, table.bytes(), "coordinate table");
    Allocation h = hash == null ? null : ledger.acquire(MemoryCategory.COORDINATES, hash.bytes(), "coordinate hash");
    CoordinateMap m = new CoordinateMap(key, table, hash, derivedFrom, a, h);
    maps.put(key, m);
    if (hash != null) {
      hashes.keep(m);
    } // else built from the rows the first time a lookup needs it (RecentHashes.ensure)
    return key;
  }

  /**
   * Drops every coordinate hash table now (each is rebuilt from its coordinates if a map is used as
   * an op input again). The autograd tape calls it when a backward pass starts: backward reads
   * only the cached kernel maps, so the tables would sit idle through the step's memory peak.
   */
  public synchronized void trimHashes() {
    hashes.dropAll();
  }

  /**
   * The coordinates of a map, as a copy on the Java heap: the manager keeps a map's rows as packed
   * keys in native memory (8 bytes a row), so ask for the whole table only where it is needed.
   */
  public synchronized Coordinates coordinates(CoordinateMapKey key) {
    return map(key).table.toCoordinates();
  }

  /** One row of a map, {@code (batch, x1..xD)}. */
  public synchronized int[] row(CoordinateMapKey key, int row) {
    CoordinateTable t = map(key).table;
    if (row < 0 || row >= t.size()) {
      throw new IndexOutOfBoundsException("row " + row + " of map " + key + " with " + t.size() + " rows");
    }
    return t.row(row);
  }

  /** The batch index of every row of a map. */
  public synchronized int[] batchIndices(CoordinateMapKey key) {
    return map(key).table.batchIndices();
  }

  /** Number of batch items of a map: its largest batch index + 1 (0 when it has no rows). */
  public synchronized int batchCount(CoordinateMapKey key) {
    return map(key).table.batchCount();
  }

  /** Number of rows of a map. */
  public synchronized int size(CoordinateMapKey key) {
    return map(key).size();
  }

  /** True when the key names a live map of this manager. */
  public synchronized boolean owns(CoordinateMapKey key) {
    return !closed && maps.containsKey(key);
  }

  /** The row of a coordinate {@code (batch, x1..xD)} in a map, or -1. */
  public synchronized int rowOf(CoordinateMapKey key, int[] coordinate) {
    CoordinateMap m = hashes.ensure(map(key));
    if (coordinate.length != dimension + 1) {
      throw new IllegalArgumentException("a coordinate is (batch, x1..x" + dimension + "): " + (dimension + 1)
          + " ints, got " + coordinate.length);
    }
    if (wide) {
      return m.hash.wide().find(coordinate, 0);
    }
    return packer.fits(coordinate) ? m.hash.packed().get(packer.pack(coordinate, 0)) : -1;
  }

  /**
   * The output map of a strided op: every input coordinate floored to a multiple of
   * {@code in.stride * convStride} (toward minus infinity), unique, in order of first appearance.
   * Stride 1 on every axis returns {@code in} itself. Cached: the same call gives the same key.
   */
  public synchronized CoordinateMapKey stride(CoordinateMapKey in, int[] convStride) {
    CoordinateMap src = map(in);
    TensorStride outStride = in.stride().times(convStride);
    if (outStride.equals(in.stride())) {
      return in;
    }
    List<Object> cacheKey = List.of("stride", in, outStride);
    CoordinateMapKey known = derivedMaps.get(cacheKey);
    if (known != null) {
      return known;
    }
    DerivedMaps.Built onDevice = DerivedMaps.stridedOnDevice(backend.kernelMaps(), packer, src.table, outStride, ledger);
    DerivedMaps.Built b = onDevice != null ? onDevice : packedOrWide(() -> DerivedMaps.strided(packer, src.table, outStride),
        () -> WideMaps.strided(src.table, outStride));
    CoordinateMapKey key = register(outStride, "strided", b.table(), b.hash(), in);
    derivedMaps.put(cacheKey, key);
    return key;
  }

    /**
   * The output map of a generative transposed conv: every {@code c + offset_k} for input
   * coordinates c and the region's offsets taken at the output stride {@code in.stride / convStride},
   * unique, ordered by input row then offset. Cached per (in, region, stride).
   */
  public synchronized CoordinateMapKey generativeOutput(CoordinateMapKey in, KernelRegion region, int[] convStride) {
    CoordinateMap src = map(in);
    TensorStride outStride = in.stride().divide(convStride);
    List<Object> cacheKey = List.of("generative", in, region, outStride);
    CoordinateMapKey known = derivedMaps.get(cacheKey);
    if (known != null) {
      return known;
    }
    int[][] offsets = region.offsets(outStride);
    int[] srcStride = in.stride().toArray();
    DerivedMaps.Built b = packedOrWide(() -> DerivedMaps.generated(packer, src.table, offsets, srcStride),
        () -> WideMaps.generated(src.table, offsets, dimension));
    CoordinateMapKey key = register(outStride, "generated", b.table(), b.hash(), in);
    derivedMaps.put(cacheKey, key);
    return key;
  }

  /**
   * The kernel map for a key, from the cache or built now. Checks that the strides of the two maps
   * fit the kind: CONVOLUTION/POOLING need {@code out.stride = in.stride * convStride}, TRANSPOSED
   * needs {@code out.stride = in.stride / convStride}, ALIGNMENT needs equal strides.
   */
  public synchronized KernelMap kernelMap(KernelMapKey key) {
    return kernelMap(key, true);
  }

  /**
   * A kernel map built again for an op plan that released it ({@code OpPlan.releaseMap}): as
   * {@link #kernelMap(KernelMapKey)}, but an input hash table this build had to remake is dropped
   * right after (a rebuild is typically the backward pass's, which needs no hash afterwards).
   */
  public synchronized KernelMap rebuiltKernelMap(KernelMapKey key) {
    return kernelMap(key, false);
  }

  private KernelMap kernelMap(KernelMapKey key, boolean keepRemadeHash) {
    checkOpen();
    KernelMap cached = kernelMaps.get(key);
    if (cached != null) {
      return cached;
    }
    if (key.region().dimension() != dimension) {
      throw new IllegalArgumentException(
          "kernel region " + key.region() + " has D=" + key.region().dimension() + ", this manager D=" + dimension);
    }
    CoordinateMap in = map(key.in());
    CoordinateMap out = map(key.out());
    KernelMapGeometry geometry = KernelMapGeometry.of(key, dimension);
    KernelMap onDevice = DeviceBuiltMaps.build(backend.kernelMaps(), packer, in.table, out.table, geometry, ledger);
    if (onDevice != null) {
      kernelMaps.put(key, onDevice);
      return onDevice;
    }
    boolean needsHash = !KernelMapBuilder.needsNoHash(in.table, out.table, geometry.offsets());
    boolean hadHash = in.hash != null;
    if (needsHash) {
      hashes.ensure(in);
    }
    KernelMap built;
    try {
      built = KernelMapBuilder.build(packer, in, out.table, geometry.offsets(), geometry.sign(), streamMapsAboveBytes,
          ledger, neighbourTables);
    } finally {
      if (needsHash && !keepRemadeHash && !hadHash) {
        hashes.drop(in);
      }
    }
    kernelMaps.put(key, built);
    return built;
  }

  /** The alignment map from rows of {@code from} to rows of {@code to} with equal coordinates. */
  public KernelMap alignmentMap(CoordinateMapKey from, CoordinateMapKey to) {
    return kernelMap(new KernelMapKey(from, to, KernelRegion.cube(dimension, 1),
        TensorStride.uniform(dimension, 1), MapKind.ALIGNMENT));
  }

  /**
   * Walks the maps {@code key} was derived from (strided from, pruned from, generated from...)
   * back to the first one at {@code stride}: the finer map a U-Net decoder's transposed conv lands
   * on.
   *
   * @throws IllegalArgumentException when no ancestor has that stride
   */
  public synchronized CoordinateMapKey ancestorAt(CoordinateMapKey key, TensorStride stride) {
    CoordinateMapKey k = key;
    while (k != null) {
      if (k.stride().equals(stride)) {
        return k;
      }
      k = map(k).derivedFrom;
    }
    throw new IllegalArgumentException(
        "no map at tensor stride " + stride + " among the maps " + key + " was derived from; "
            + "pass the output coordinate map of the transposed conv explicitly");
  }

  /** Keeps the rows of {@code key} where {@code keep} is true, in order, as a new map. */
  public synchronized RowSelection prune(CoordinateMapKey key, boolean[] keep) {
    CoordinateMap src = map(key);
    if (keep.length != src.size()) {
      throw new IllegalArgumentException(
          "prune mask has " + keep.length + " entries but map " + key + " has " + src.size() + " rows");
    }
    DerivedMaps.Built b = wide ? WideMaps.pruned(src.table, keep, dimension) : DerivedMaps.pruned(packer, src.table, keep);
    return new RowSelection(register(key.stride(), "pruned", b.table(), b.hash(), key), b.sourceRows());
  }

  /**
   * The union of maps at one stride: the first map's rows in order, then each later map's new
   * rows in order. {@code rowMaps()[i][r]} is the union row of row r of input i. When the first
   * map already holds every other map's coordinates (a decoder's generated sites and its encoder
   * skip), the union <em>is</em> the first map: its key is returned, no table or hash is made, and
   * {@code rowMaps()[0]} is null (its rows are the union's rows in order).
   */
  public synchronized Union union(List<CoordinateMapKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("union needs at least one coordinate map");
    }
    TensorStride stride = keys.get(0).stride();
    List<CoordinateTable> inputs = new ArrayList<>();
    for (CoordinateMapKey k : keys) {
      if (!k.stride().equals(stride)) {
        throw new IllegalArgumentException(
            "union needs maps at one tensor stride; got " + keys.get(0) + " and " + k);
      }
      inputs.add(map(k).table);
    }
    int[][] intoFirst = rowsInFirst(keys);
    if (intoFirst != null) {
      return new Union(keys.get(0), intoFirst);
    }
    DerivedMaps.Built b = wide ? WideMaps.union(inputs, dimension) : DerivedMaps.union(packer, inputs);
    return new Union(register(stride, "union", b.table(), b.hash(), keys.get(0)), b.rowMaps());
  }

  /** A map built packed, or wide when the manager is (widened first if the packed one leaves the range). */
  private DerivedMaps.Built packedOrWide(java.util.function.Supplier<DerivedMaps.Built> packed,
      java.util.function.Supplier<DerivedMaps.Built> wideBuild) {
    if (!wide) {
      try {
        return packed.get();
      } catch (KeyRangeException e) {
        widen(e.getMessage());
      }
    }
    return wideBuild.get();
  }

  /** Each later map's rows in the first map (row maps 1..), or null when some coordinate is not there. */
  private int[][] rowsInFirst(List<CoordinateMapKey> keys) {
    CoordinateMap first = map(keys.get(0));
    int[][] rowMaps = new int[keys.size()][];
    for (int i = 1; i < keys.size(); i++) {
      if (map(keys.get(i)).size() > first.size()) {
        return null;
      }
    }
    first = hashes.ensure(first);
    for (int i = 1; i < keys.size(); i++) {
      CoordinateTable t = map(keys.get(i)).table;
      rowMaps[i] = wide ? WideMaps.rowsIn(first.hash.wide(), t, dimension) : DerivedMaps.rowsIn(first.hash.packed(), t);
      if (rowMaps[i] == null) {
        return null;
      }
    }
    return rowMaps;
  }

  /**
   * Frees a kernel map now: it leaves the cache (if it is the one cached for {@code key}) and its
   * pairs are freed. Whoever still holds it sees it closed; {@link #kernelMap} builds it again.
   */
  public synchronized void dropKernelMap(KernelMapKey key, KernelMap map) {
    checkOpen();
    kernelMaps.remove(key, map);
    map.close();
  }

  /** Number of kernel maps in the cache. */
  public synchronized int kernelMapCacheSize() {
    return kernelMaps.size();
  }

  /** The most kernel maps the cache keeps; the least recently used is dropped beyond it. */
  public int kernelMapCacheCapacity() {
    return kernelMaps.capacity();
  }

  /** Bytes held by cached kernel maps. */
  public synchronized long kernelMapCacheBytes() {
    return kernelMaps.bytes();
  }

  /** Drops every cached kernel map. */
  public synchronized void clearKernelMapCache() {
    kernelMaps.clear();
  }

  /** Keys of every live coordinate map, for inspection. */
  public synchronized List<CoordinateMapKey> mapKeys() {
    return new ArrayList<>(maps.keySet());
  }

  private CoordinateMap map(CoordinateMapKey key) {
    checkOpen();
    CoordinateMap m = maps.get(key);
    if (m == null) {
      throw new IllegalArgumentException(
          "coordinate map " + key + " does not belong to this CoordinateManager; tensors and keys can only "
              + "be combined within the manager that made them");
    }
    return m;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this CoordinateManager is closed; create a new one for the next batch");
    }
  }

  /**
   * Records a tensor counted in this ledger, closed when the manager closes if nobody closed it
   * before: an op result is freed (a value the backward pass never reached, say), a tensor on the
   * user's features gives its bytes back. Called by the tensor itself.
   */
  public synchronized void track(AutoCloseable result) {
    if (closed) {
      throw new IllegalStateException("this CoordinateManager is closed; open a new one for the next batch");
    }
    openTensors.add(result);
  }

  /** Forgets a result that was closed. */
  public synchronized void untrack(AutoCloseable result) {
    openTensors.remove(result);
  }

  /** Whether {@link #close()} was called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Closes every tensor of this manager still open (op results are freed), drops every map and
   * cached kernel map and gives their bytes back to the ledger.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    openTensors.closeAll();
    clearKernelMapCache();
    hashes.dropAll();
    maps.values().forEach(CoordinateMap::close);
    maps.clear();
    derivedMaps.clear();
    closed = true;
    backend.trim(); // the batch's memory is free: give the allocator's free pages back before the next one
    if (ownsBackend) {
      backend.close();
    }
  }
}
