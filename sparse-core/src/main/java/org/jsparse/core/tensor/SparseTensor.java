package org.jsparse.core.tensor;

import org.jsparse.core.backend.Buffer;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.memory.Allocation;
import org.jsparse.core.memory.MemoryCategory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A sparse tensor: a coordinate map of a {@link CoordinateManager} plus one feature row per
 * coordinate, as an ND4J matrix {@code [N, C]} of FLOAT or DOUBLE. Immutable by contract: ops
 * return new tensors and never write into the features of their inputs, and callers must not
 * either. Closing a tensor gives its feature bytes back to the manager's ledger.
 */
public final class SparseTensor implements AutoCloseable {
  private final CoordinateManager manager;
  private final CoordinateMapKey key;
  private final Buffer buffer;
  private INDArray features;
  /** Ledger entry for features given as an INDArray; null when the buffer counts itself. */
  private final Allocation allocation;
  /** True when this tensor frees its features on close (an op result). */
  private final boolean ownsFeatures;
  private boolean closed;

  /** A tensor on ND4J features, seen by the backend as {@code borrowed}. */
  private SparseTensor(CoordinateManager manager, CoordinateMapKey key, INDArray features, Buffer borrowed,
      MemoryCategory category, boolean ownsFeatures) {
    this.manager = manager;
    this.key = key;
    this.features = features;
    this.buffer = borrowed;
    this.ownsFeatures = ownsFeatures;
    this.allocation = category == null ? null
        : manager.memory().acquire(category, features.length() * features.dataType().width(),
            ownsFeatures ? "op result (ND4J)" : "user features");
    if (allocation != null) {
      manager.track(this);
    }
  }

  private SparseTensor(CoordinateManager manager, CoordinateMapKey key, Buffer buffer) {
    this.manager = manager;
    this.key = key;
    this.buffer = buffer;
    this.ownsFeatures = true;
    this.allocation = null;
    manager.track(this);
  }

  /**
   * A tensor on an existing map, checking the features: 2-D, FLOAT or DOUBLE, one row per
   * coordinate, finite values.
   */
  public static SparseTensor of(CoordinateManager manager, CoordinateMapKey key, INDArray features) {
    checkShape(manager, key, features);
    Buffer borrowed = manager.backend().borrow(features, features.size(0));
    requireFinite(manager, borrowed, r -> manager.row(key, r));
    return new SparseTensor(manager, key, features, borrowed, MemoryCategory.FEATURES, false);
  }

  /** Inserts coordinates at a tensor stride and attaches features: the usual way to make a tensor. */
  public static SparseTensor create(CoordinateManager manager, Coordinates coords, TensorStride stride, INDArray features) {
    if (features.rank() != 2 || features.size(0) != coords.size()) {
      throw new IllegalArgumentException(
          "features must be [N, C] with N = " + coords.size() + " coordinate rows, got shape "
              + java.util.Arrays.toString(features.shape()));
    }
    if (features.dataType() != DataType.FLOAT && features.dataType() != DataType.DOUBLE) {
      throw new IllegalArgumentException(
          "features must be FLOAT or DOUBLE, got " + features.dataType() + "; cast with castTo(DataType.FLOAT)");
    }
    // every check on the features before the insert: a refused tensor leaves no map behind
    Buffer borrowed = manager.backend().borrow(features, features.size(0));
    requireFinite(manager, borrowed, coords::row);
    CoordinateMapKey key = manager.insert(coords, stride);
    return new SparseTensor(manager, key, features, borrowed, MemoryCategory.FEATURES, false);
  }

  /**
   * Inserts coordinates and attaches features given as host values, row-major {@code [N, channels]}
   * ({@code float[]} for FLOAT, {@code double[]} for DOUBLE): the way to make a tensor without an
   * ND4J array (a device backend uploads them). Checked like {@link #of}; the tensor owns the copy.
   */
  public static SparseTensor create(CoordinateManager manager, Coordinates coords, TensorStride stride, Object values,
      int channels) {
    long n = coords.size();
    long given = values instanceof float[] f ? f.length : values instanceof double[] d ? d.length : -1;
    if (given != n * channels) {
      throw new IllegalArgumentException("features must be a float[] or double[] of N x C = " + n + " x " + channels
          + " values, got " + (given < 0 ? String.valueOf(values) : given + " values"));
    }
    Buffer b = manager.backend().upload(manager.memory(), MemoryCategory.FEATURES, "user features", values, n, channels);
    CoordinateMapKey key;
    try {
      requireFinite(manager, b, coords::row);
      key = manager.insert(coords, stride);
    } catch (RuntimeException e) {
      b.close(); // nothing of a failed create stays counted
      throw e;
    }
    return new SparseTensor(manager, key, b);
  }

  private static void requireFinite(CoordinateManager manager, Buffer features,
      java.util.function.IntFunction<int[]> coordinateOfRow) {
    int bad = manager.backend().firstNonFiniteRow(features);
    if (bad >= 0) {
      throw new IllegalArgumentException("features contain NaN or infinity at row " + bad + " (coordinate "
          + java.util.Arrays.toString(coordinateOfRow.apply(bad)) + "); clean the input first");
    }
  }

  /**
   * A tensor on features an op made: shape-checked but not scanned for NaN (ops do not create
   * NaN from finite input). The tensor takes the features over and frees them when it is closed.
   */
  private static SparseTensor fromOp(CoordinateManager manager, CoordinateMapKey key, INDArray features) {
    checkShape(manager, key, features);
    return new SparseTensor(manager, key, features, manager.backend().borrow(features, features.size(0)),
        MemoryCategory.FEATURES, true);
  }

  /**
   * For op implementations (the library's, sparse-nn's, or your own op written on a
   * {@link org.jsparse.core.backend.Backend}): a tensor on a buffer the op made on the manager's
   * backend, counted by the buffer itself; the tensor takes it over and closes it when the tensor
   * is closed. Shape-checked, not scanned for NaN. User data goes in through {@link #create}.
   */
  public static SparseTensor fromOp(CoordinateManager manager, CoordinateMapKey key, Buffer features) {
    if (!features.backend().device().equals(manager.backend().device())) {
      throw new IllegalArgumentException("features live on " + features.backend().device() + ", the manager on "
          + manager.backend().device());
    }
    if (features.rows() != manager.size(key)) {
      throw new IllegalArgumentException(
          "features have " + features.rows() + " rows but coordinate map " + key + " has " + manager.size(key));
    }
    return new SparseTensor(manager, key, features);
  }

  /**
   * A tensor on borrowed features: shape-checked, counted as FEATURES while open, but the features
   * stay the caller's (closing the tensor does not free them). For library code that feeds an
   * array it keeps using through an op.
   */
  public static SparseTensor wrap(CoordinateManager manager, CoordinateMapKey key, INDArray features) {
    checkShape(manager, key, features);
    return new SparseTensor(manager, key, features, manager.backend().borrow(features, features.size(0)),
        MemoryCategory.FEATURES, false);
  }

  /**
   * A second handle on this tensor's features, for an op that wrote its result over its input:
   * it counts no bytes and frees nothing on close (this tensor still owns the features).
   */
  public SparseTensor alias() {
    return new SparseTensor(manager, key, null, buffer, null, false); // features read from the buffer when asked
  }

  private static void checkShape(CoordinateManager manager, CoordinateMapKey key, INDArray features) {
    int n = manager.size(key);
    if (features.rank() != 2) {
      throw new IllegalArgumentException(
          "features must be a 2-D matrix [N, C], got rank " + features.rank() + " shape "
              + java.util.Arrays.toString(features.shape()));
    }
    if (features.size(0) != n) {
      throw new IllegalArgumentException(
          "features have " + features.size(0) + " rows but coordinate map " + key + " has " + n);
    }
    if (features.dataType() != DataType.FLOAT && features.dataType() != DataType.DOUBLE) {
      throw new IllegalArgumentException(
          "features must be FLOAT or DOUBLE, got " + features.dataType() + "; cast with castTo(DataType.FLOAT)");
    }
  }

  /**
   * The same coordinates with other features (checked like {@link #of}, without the NaN scan); the
   * new tensor takes the features over, as {@link #fromOp} does.
   */
  public SparseTensor withFeatures(INDArray newFeatures) {
    return fromOp(manager, key, newFeatures);
  }

  public CoordinateManager manager() {
    return manager;
  }

  public CoordinateMapKey key() {
    return key;
  }

  /**
   * The feature matrix {@code [N, C]} as an ND4J array: on the CPU a view of the tensor's own
   * memory (valid while the tensor is open; do not modify it), on a device a copy.
   */
  public INDArray features() {
    if (features == null) {
      features = manager.backend().toINDArray(buffer, buffer.rows(), buffer.cols());
    }
    return features;
  }

  /** The features as a buffer of the manager's backend (what ops compute on). */
  public Buffer buffer() {
    return buffer;
  }

  /** The coordinates of the sites, copied onto the heap (the manager keeps them packed, off the heap). */
  public Coordinates coordinates() {
    return manager.coordinates(key);
  }

  public TensorStride tensorStride() {
    return key.stride();
  }

  /** Number of active sites N. */
  public int size() {
    return (int) buffer.rows();
  }

  /** Number of channels C. */
  public int channels() {
    return (int) buffer.cols();
  }

  /** Spatial dimension D. */
  public int dimension() {
    return manager.dimension();
  }

  public DataType dataType() {
    return buffer.dataType();
  }

  /**
   * Fails with a message that says how to fix it unless {@code other} lives in the same manager.
   */
  public void requireSameManager(SparseTensor other, String op) {
    if (other.manager != manager) {
      throw new IllegalArgumentException(
          op + ": tensors come from different CoordinateManagers; create both from one manager "
              + "(one manager per batch) or re-insert one tensor's coordinates into the other's manager");
    }
  }

  /**
   * Gives the feature bytes back to the ledger and, for an op result, frees the features now (do
   * not read them afterwards). Features the user passed in stay the user's. Closing twice is harmless.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ownsFeatures || allocation != null) {
      manager.untrack(this);
    }
    if (allocation != null) {
      allocation.close();
      buffer.close(); // borrowed: a device backend's copy is freed, the CPU's view is left alone
      if (ownsFeatures) {
        org.jsparse.core.internal.NativeArrays.free(features);
      }
    } else if (ownsFeatures) {
      buffer.close();
    }
  }

  /** True once {@link #close} ran. */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return "SparseTensor[N=" + size() + ", C=" + channels() + ", D=" + dimension() + ", stride " + key.stride()
        + ", " + dataType() + "]";
  }
}
