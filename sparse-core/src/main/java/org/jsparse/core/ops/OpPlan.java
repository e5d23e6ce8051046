package org.jsparse.core.ops;

import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.kmap.CoordinateMapKey;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.KernelMapKey;

/**
 * What a kernel-map op (convolution or pooling) resolved before computing: input and output maps
 * and the kernel map between them. Backward passes take the plan, so they reuse the map.
 *
 * <p>A plan can give its kernel map back between forward and backward ({@link #releaseMap}): the
 * map's memory is freed at once and {@link #kernelMap} builds it again, bit for bit the same, when
 * an op next needs it. That trades one more map build for not holding the pairs across the step,
 * the largest single item of a training step's peak.
 */
public final class OpPlan {
  private final CoordinateManager manager;
  private final KernelMapKey key;
  private KernelMap kernelMap;

  /** A plan over the map the manager built (or had cached) for {@code key}. */
  OpPlan(CoordinateManager manager, KernelMapKey key, KernelMap kernelMap) {
    this.manager = manager;
    this.key = key;
    this.kernelMap = kernelMap;
  }

  /** The manager all three maps belong to. */
  public CoordinateManager manager() {
    return manager;
  }

  /** Input coordinate map. */
  public CoordinateMapKey in() {
    return key.in();
  }

  /** Output coordinate map. */
  public CoordinateMapKey out() {
    return key.out();
  }

  /** The pairs: the map this plan was made with, or the same map built again after {@link #releaseMap}. */
  public synchronized KernelMap kernelMap() {
    if (kernelMap != null && !kernelMap.isClosed()) {
      return kernelMap;
    }
    if (manager.isClosed()) {
      if (kernelMap == null) {
        throw new IllegalStateException(
            "this kernel map was freed (its CoordinateManager was closed); plan the op again in an open manager");
      }
      return kernelMap; // closed: the op that reads it says so
    }
    kernelMap = manager.rebuiltKernelMap(key);
    return kernelMap;
  }

  /**
   * Frees the kernel map now (it leaves the manager's cache; another plan holding the same map
   * builds it again when it needs it). {@link #kernelMap} rebuilds it on the next call. No effect
   * on a plan whose manager is closed.
   */
  public synchronized void releaseMap() {
    if (kernelMap == null || manager.isClosed()) {
      return;
    }
    manager.dropKernelMap(key, kernelMap);
    kernelMap = null;
  }

  @Override
  public String toString() {
    return "OpPlan[" + key.in() + " -> " + key.out() + (kernelMap == null ? ", map released" : ", " + kernelMap) + "]";
  }
}
