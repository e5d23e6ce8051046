package org.jsparse.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.jsparse.core.memory.MemoryReport;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.core.testing.RandomSparse;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** When buffers are freed, and what happens to a reader that comes too late. */
class LifetimeTest {
  private static final ConvolutionSpec K3 = ConvolutionSpec.submanifold(KernelRegion.cube(3, 3));

  @Test
  void readingTheFeaturesOfAClosedOpResultFailsClearly() {
    Random rnd = new Random(1);
    Coordinates c = RandomSparse.coordinates(rnd, 1, 3, 12, 0, 1, 0.3);
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor x = SparseTensor.create(cm, c, TensorStride.uniform(3, 1), RandomSparse.uniform(rnd, DataType.FLOAT, c.size(), 4));
      SparseTensor y = SparseConvolution.forward(x, RandomSparse.uniform(rnd, DataType.FLOAT, 27, 4, 4), null, K3);
      INDArray view = y.features();
      y.close();
      assertTrue(view.wasClosed(), "an op result's features are freed when it closes");
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> SparseConvolution.forward(y, RandomSparse.uniform(rnd, DataType.FLOAT, 27, 4, 4), null, K3));
      assertTrue(e.getMessage().contains("closed") || e.getMessage().contains("freed"), e.getMessage());
      assertEquals(4L * c.size() * 4, cm.memory().current(MemoryCategory.FEATURES), "only the input is counted");
    }
  }

  @Test
  void closingTheManagerFreesWhatNobodyClosedAndItsKernelMaps() {
    Random rnd = new Random(2);
    Coordinates c = RandomSparse.coordinates(rnd, 1, 3, 12, 0, 1, 0.3);
    CoordinateManager cm = new CoordinateManager(3);
    SparseTensor x = SparseTensor.create(cm, c, TensorStride.uniform(3, 1), RandomSparse.uniform(rnd, DataType.FLOAT, c.size(), 4));
    INDArray w = RandomSparse.uniform(rnd, DataType.FLOAT, 27, 4, 4);
    OpPlan plan = SparseConvolution.plan(x, K3);
    SparseTensor y = SparseConvolution.forward(x, w, null, plan);
    INDArray g = RandomSparse.uniform(rnd, DataType.FLOAT, y.size(), 4);
    cm.close();
    assertEquals(0, cm.memory().currentTotal(), "every byte counted under the manager is given back");
    assertTrue(y.isClosed() && x.isClosed());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SparseConvolution.backwardInput(plan, g, w));
    assertTrue(e.getMessage().contains("kernel map was freed"), e.getMessage());
  }

  @Test
  void droppedCoordinateHashesAreRebuiltOnDemandWithTheSameResult() {
    Random rnd = new Random(3);
    Coordinates c = RandomSparse.coordinates(rnd, 2, 3, 14, 0, 1, 0.25);
    INDArray f = RandomSparse.uniform(rnd, DataType.DOUBLE, c.size(), 3);
    INDArray w = RandomSparse.uniform(rnd, DataType.DOUBLE, 27, 3, 2);
    try (CoordinateManager a = new CoordinateManager(3); CoordinateManager b = new CoordinateManager(3)) {
      SparseTensor xa = SparseTensor.create(a, c, TensorStride.uniform(3, 1), f);
      SparseTensor xb = SparseTensor.create(b, c, TensorStride.uniform(3, 1), f);
      long before = b.memory().current(MemoryCategory.COORDINATES);
      b.trimHashes();
      assertTrue(b.memory().current(MemoryCategory.COORDINATES) < before, "the hash bytes are given back");
      long dropped = b.memory().current(MemoryCategory.COORDINATES);
      INDArray ya = SparseConvolution.forward(xa, w, null, K3).features();
      INDArray yb = SparseConvolution.forward(xb, w, null, K3).features();
      assertEquals(ya, yb, "a map whose hash was dropped convolves exactly as before");
      assertEquals(dropped, b.memory().current(MemoryCategory.COORDINATES),
          "a submanifold map is merged from sorted keys: no hash is remade for it");
      ConvolutionSpec down = ConvolutionSpec.strided(KernelRegion.cube(3, 2), 2, 2, 2);
      INDArray w2 = RandomSparse.uniform(rnd, DataType.DOUBLE, 8, 3, 2);
      INDArray za = SparseConvolution.forward(xa, w2, null, down).features();
      INDArray zb = SparseConvolution.forward(xb, w2, null, down).features();
      assertEquals(za, zb, "a strided map from a map whose hash was dropped is the same");
      assertEquals(a.memory().current(MemoryCategory.COORDINATES), b.memory().current(MemoryCategory.COORDINATES),
          "the rebuilt hash is counted again");
    }
  }

  @Test
  void theLedgerNamesWhoHeldThePeak() {
    MemoryLedger ledger = new MemoryLedger("cpu");
    var a = ledger.acquire(MemoryCategory.FEATURES, 100, "convolution");
    var b = ledger.acquire(MemoryCategory.KERNEL_MAPS, 300, "kernel map");
    b.close();
    var c = ledger.acquire(MemoryCategory.FEATURES, 50, "union");
    MemoryReport r = ledger.report();
    assertEquals(400, r.peakTotal());
    assertEquals(new MemoryReport.Holder("kernel map", MemoryCategory.KERNEL_MAPS, 300), r.topAtPeak(1).get(0),
        "the largest holder at the moment of the peak, not now");
    assertEquals(2, r.atPeak().size(), "the union came after the peak");
    assertTrue(r.toString().contains("kernel map"));
    a.close();
    c.close();
    assertEquals(0, ledger.currentTotal());
  }

  @Test
  void anUnknownBackendSaysWhatIsThereAndHowToGetIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.get("tpu", 0));
    assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains("dependency"), e.getMessage());
    try (Backend cpu = Backends.cpu()) {
      assertEquals("cpu", cpu.device());
    }
  }
}
