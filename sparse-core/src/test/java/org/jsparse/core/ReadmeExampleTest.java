package org.jsparse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsparse.core.convert.DenseToSparse;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.core.ops.SparseConvolution;
import org.jsparse.core.tensor.SparseTensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The README's usage example, kept compiling and running. */
class ReadmeExampleTest {
  @Test
  void readmeExampleRuns() {
    INDArray ctVolume = Nd4j.zeros(DataType.FLOAT, 1, 1, 8, 8, 8);
    ctVolume.putScalar(new long[] {0, 0, 3, 3, 2}, 400f);
    ctVolume.putScalar(new long[] {0, 0, 3, 3, 3}, 1200f);
    Nd4j.getRandom().setSeed(1);
    try (CoordinateManager cm = new CoordinateManager(3)) {                 // one manager per batch
      SparseTensor x = DenseToSparse.threshold(cm, ctVolume, 226);           // [B, C, Z, Y, X] -> sites with HU >= 226
      INDArray w = Nd4j.rand(DataType.FLOAT, 27, 1, 16).subi(0.5);           // weights [K, Cin, Cout]
      SparseTensor y = SparseConvolution.forward(x, w, null,
          ConvolutionSpec.submanifold(KernelRegion.cube(3, 3)));             // 3x3x3 submanifold conv
      INDArray w2 = Nd4j.rand(DataType.FLOAT, 8, 16, 32).subi(0.5);
      SparseTensor down = SparseConvolution.forward(y, w2, null,
          ConvolutionSpec.strided(KernelRegion.cube(3, 2), 2, 2, 2));         // stride-2 downsampling
      String report = cm.memory().report().toString();                       // current and peak bytes per category
      assertEquals(2, y.size());
      assertEquals(1, down.size(), "(3,3,2) and (3,3,3) floor to the same stride-2 site (2,2,2)");
      assertEquals(TensorStride.uniform(3, 2), down.tensorStride());
      assertTrue(report.contains("KERNEL_MAPS"));
    }
  }

  /** README.md stays a page a new user reads: its sections once each, its test and main-job commands present. */
  @Test
  void readmeHasItsSectionsOnceAndStaysReadable() throws java.io.IOException {
    java.nio.file.Path readme = java.nio.file.Path.of("../README.md");
    String text = java.nio.file.Files.readString(readme);
    assertTrue(text.length() < 40_000, "README.md has grown to " + text.length() + " characters");
    java.util.List<String> headings = text.lines().filter(l -> l.startsWith("## ")).toList();
    assertEquals(headings.size(), new java.util.HashSet<>(headings).size(), "a section appears twice: " + headings);
    assertTrue(headings.contains("## Run the tests (fresh machine)") && headings.contains("## Run the main job (one command, fresh machine)"),
        headings.toString());
    assertTrue(text.contains("mvn -B verify") && text.contains("sparse-examples.jar ulm"), "the test and main-job commands");
  }
}
