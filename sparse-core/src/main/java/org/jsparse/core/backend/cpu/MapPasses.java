package org.jsparse.core.backend.cpu;

import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.MemoryLedger;

/**
 * How the CPU kernels walk a kernel map: in passes over offset ranges (so that a compact or
 * streamed map's other half need never be expanded whole), or with every offset readable at once.
 */
final class MapPasses {
  private MapPasses() {}

  /** A kernel over the offsets {@code [from, to)} of a map sorted by output row. */
  interface OffsetPass {
    void run(KernelMap sorted, int from, int to);
  }

  /** Mirrored pairs a compact map's other half may add at once while an op runs; larger halves go in parts. */
  static final int PART_PAIRS = 1 << 20;
  /** Parts a large other half is cut into: its transient copy is a sixth of what a whole expansion costs. */
  static final int PARTS = 6;

  /**
   * Runs {@code pass} over every offset of {@code map}. A full map: one pass (sorted by output row
   * first if it is not). A dense compact map whose other half reads in place
   * ({@link KernelMap#mirrorsReadableInPlace}), or a dense streamed one: one pass, since the
   * implicit GEMM every caller then takes reads that half from the stored one, or merges a streamed
   * map's pairs per tile ({@link KernelMap#tiles}). Any other compact map: its stored offsets
   * straight from the map, then its other half expanded in parts of a few offsets each, one part
   * alive at a time (or the whole shared expansion, when a caller holds a lease on it). Every pass
   * adds into the result, and each output row sees the offsets in one order, so the sum does not
   * depend on the thread count.
   */
  static void run(KernelMap map, MemoryLedger ledger, OffsetPass pass) {
    if (!map.isCompact()) {
      pass.run(map.sortedByOutput(), 0, map.volume());
      return;
    }
    if (CpuConvolution.prefersImplicitGemm(map) && (map.isStreamed() || map.mirrorsReadableInPlace())) {
      // every pass here takes the implicit GEMM, whose tiles read the other half in place: one pass, no expansion
      pass.run(map, 0, map.volume());
      return;
    }
    KernelMap held = map.heldExpansion();
    if (held != null) {
      try {
        pass.run(held, 0, map.volume());
      } finally {
        held.close();
      }
      return;
    }
    int stored = map.storedOffsets();
    int volume = map.volume();
    if (stored > 0) {
      pass.run(map, 0, stored);
    }
    if (stored == volume) {
      return;
    }
    long other = map.pairCount() - (long) map.start(stored);
    // a streamed map reaching here is sparse and large (dense ones took the one pass above): one offset per worker and part
    int parts = map.isStreamed() ? ceilDiv(volume - stored, Runtime.getRuntime().availableProcessors())
        : other > PART_PAIRS ? Math.min(PARTS, volume - stored) : 1;
    for (int i = 0; i < parts; i++) {
      int from = stored + (volume - stored) * i / parts;
      int to = stored + (volume - stored) * (i + 1) / parts;
      try (KernelMap part = map.expandedPart(ledger, from, to)) {
        pass.run(part, from, to);
      }
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /**
   * Runs {@code op} on the map with every offset readable, then gives a compact map's expansion
   * back; a null ledger counts nothing (pooling has no ledger argument).
   */
  static void onExpanded(KernelMap map, MemoryLedger ledger, java.util.function.Consumer<KernelMap> op) {
    KernelMap full = map.expanded(ledger);
    try {
      op.accept(full);
    } finally {
      if (full != map) {
        full.close();
      }
    }
  }}
