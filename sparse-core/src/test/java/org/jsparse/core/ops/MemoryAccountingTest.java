package org.jsparse.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.core.testing.RandomSparse;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every buffer of an op shows up in the manager's ledger, and only while it is alive. */
class MemoryAccountingTest {
  @Test
  void convolutionCountsFeaturesKernelMapsAndWorkspace() {
    Random rnd = new Random(4);
    Coordinates c = RandomSparse.coordinates(rnd, 1, 3, 16, 0, 1, 0.3);
    try (CoordinateManager cm = new CoordinateManager(3)) {
      MemoryLedger ledger = cm.memory();
      INDArray f = RandomSparse.uniform(rnd, DataType.FLOAT, c.size(), 8);
      SparseTensor x = SparseTensor.create(cm, c, TensorStride.uniform(3, 1), f);
      long featureBytes = 4L * c.size() * 8;
      assertEquals(featureBytes, ledger.current(MemoryCategory.FEATURES));
      assertTrue(ledger.current(MemoryCategory.COORDINATES) >= 16L * c.size(), "coordinates and hash");
      ledger.resetPeaks();

      SparseTensor y = SparseConvolution.forward(x, RandomSparse.uniform(rnd, DataType.FLOAT, 27, 8, 16), null,
          ConvolutionSpec.submanifold(KernelRegion.cube(3, 3)));
      assertEquals(0, ledger.current(MemoryCategory.WORKSPACE), "workspace is given back when the op ends");
      assertTrue(ledger.peak(MemoryCategory.WORKSPACE) > 0, "the peak saw the convolution's tile buffers");
      assertTrue(ledger.report().atPeak().stream().anyMatch(h -> h.op().equals("convolution")
          && h.category() == MemoryCategory.FEATURES), "the peak names the op that made the output");
      assertEquals(cm.kernelMapCacheBytes(), ledger.current(MemoryCategory.KERNEL_MAPS));
      assertEquals(featureBytes + 4L * c.size() * 16, ledger.current(MemoryCategory.FEATURES));
      assertTrue(ledger.peakTotal() >= ledger.currentTotal());

      y.close();
      assertEquals(featureBytes, ledger.current(MemoryCategory.FEATURES), "closing a tensor gives its bytes back");
      y.close();
      assertEquals(featureBytes, ledger.current(MemoryCategory.FEATURES), "closing twice is harmless");
      assertTrue(ledger.report().toString().contains("WORKSPACE"));
    }
  }
}
