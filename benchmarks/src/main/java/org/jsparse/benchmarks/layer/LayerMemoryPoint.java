package org.jsparse.benchmarks.layer;

import java.util.Locale;
import org.jsparse.benchmarks.DenseLayerCase;
import org.jsparse.benchmarks.training.ProcStatus;
import org.jsparse.core.convert.SparseToDense;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.ops.ConvolutionSpec;
import org.jsparse.core.ops.OpPlan;
import org.jsparse.core.ops.SparseConvolution;
import org.jsparse.core.tensor.SparseTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One point of the layer-memory table, in a JVM of its own: one 3x3x3 convolution layer's forward
 * and backward (input and weight gradients) on a size^3 grid at an occupancy, either ours on the
 * active sites or ND4J's dense conv3d on the whole grid. Prints one JSON line: the process's peak
 * RSS (VmHWM) net of its RSS after ND4J started, and for the sparse side the ledger's peak. The
 * input is made inside the measured span (the dense side holds the whole grid, which is its cost).
 *
 * <p>Arguments: {@code size occupancy channels sparse|dense [random|skull|brain]} (a real shell
 * resampled into the grid has its own occupancy, printed in place of the argument's), then
 * optionally a file of its sites ({@code DenseLayerCase.writeSites}: the runner resamples the
 * volume, so that reading the CT or MRI does not count in this JVM's peak).
 */
public final class LayerMemoryPoint {
  private LayerMemoryPoint() {}

  public static void main(String[] args) throws java.io.IOException {
    int size = Integer.parseInt(args[0]);
    double occupancy = Double.parseDouble(args[1]);
    int c = Integer.parseInt(args[2]);
    boolean sparse = args[3].equals("sparse");
    Nd4j.create(DataType.FLOAT, 1, 1);
    long floor = ProcStatus.kib("VmRSS");
    long ledgerPeak = -1;
    double seconds;
    String volume = args.length > 4 ? args[4] : "random";
    Coordinates sites = args.length > 5 ? DenseLayerCase.readSites(java.nio.file.Path.of(args[5]))
        : DenseLayerCase.sites(size, occupancy, volume);
    int n = sites.size();
    occupancy = n / Math.pow(size, 3);
    long t0 = System.nanoTime();
    try (CoordinateManager cm = new CoordinateManager(3)) {
      SparseTensor x = SparseTensor.create(cm, sites, TensorStride.uniform(3, 1),
          Nd4j.rand(DataType.FLOAT, n, c).subi(0.5f));
      sites = null;
      INDArray w = Nd4j.rand(DataType.FLOAT, 27, c, c).subi(0.5f);
      if (sparse) {
        OpPlan plan = SparseConvolution.plan(x, ConvolutionSpec.submanifold(KernelRegion.cube(3, 3)));
        try (SparseTensor y = SparseConvolution.forward(x, w, null, plan)) {
          INDArray g = Nd4j.rand(DataType.FLOAT, y.size(), c);
          INDArray gin = SparseConvolution.backwardInput(plan, g, w);
          INDArray gw = SparseConvolution.backwardWeight(plan, x.features(), g);
          gin.close();
          gw.close();
        }
        ledgerPeak = cm.memory().peakTotal();
      } else {
        INDArray dense = SparseToDense.toDense(x, 1, new int[3], new int[] {size, size, size});
        INDArray dw = w.reshape(3, 3, 3, c, c).dup();
        INDArray y = Nd4j.cnn().conv3d(dense, dw, DenseLayerCase.CONV3D);
        INDArray g = Nd4j.rand(DataType.FLOAT, y.shape());
        INDArray[] grads = DenseLayerCase.backprop(dense, dw, g, DenseLayerCase.backpropArgs(dense, dw));
        for (INDArray a : grads) {
          a.close();
        }
        y.close();
        g.close();
        dense.close();
      }
    }
    seconds = (System.nanoTime() - t0) / 1e9;
    long hwm = ProcStatus.kib("VmHWM");
    System.out.println(String.format(Locale.ROOT,
        "{\"size\":%d,\"occupancy\":%s,\"volume\":\"%s\",\"channels\":%d,\"side\":\"%s\",\"sites\":%d,"
            + "\"seconds\":%.3f,\"peakRssNetBytes\":%d,\"ledgerPeakBytes\":%d}",
        size, volume.equals("random") ? args[1] : String.format(Locale.ROOT, "%.5f", occupancy), volume, c, args[3], n,
        seconds, (hwm - floor) * 1024, ledgerPeak));
  }
}
