package org.jsparse.core.ops;

import static org.jsparse.core.testing.GradientCheck.check;
import static org.jsparse.core.testing.GradientCheck.dot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.jsparse.core.coords.Coordinates;
import org.jsparse.core.coords.KernelRegion;
import org.jsparse.core.coords.TensorStride;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.core.tensor.SparseTensor;
import org.jsparse.core.testing.RandomSparse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Finite-difference gradient checks in double precision for every differentiable core op. */
class GradientCheckTest {
  private final Random rnd = new Random(2026);
  private CoordinateManager cm;
  private SparseTensor x;

  @BeforeEach
  void setUp() {
    cm = new CoordinateManager(3);
    Coordinates c = RandomSparse.coordinates(rnd, 2, 3, 4, -2, 1, 0.3);
    x = SparseTensor.create(cm, c, TensorStride.uniform(3, 1), RandomSparse.uniform(rnd, DataType.DOUBLE, c.size(), 3));
  }

  @AfterEach
  void tearDown() {
    cm.close();
  }

  private INDArray probe(SparseTensor y) {
    return RandomSparse.uniform(rnd, DataType.DOUBLE, y.size(), y.channels());
  }

  @ParameterizedTest
  @EnumSource(ConvolutionMode.class)
  void convolution(ConvolutionMode mode) {
    KernelRegion region = KernelRegion.cube(3, mode == ConvolutionMode.REGULAR ? 3 : 2);
    SparseTensor src = x;
    ConvolutionSpec spec;
    if (mode == ConvolutionMode.REGULAR) {
      spec = ConvolutionSpec.strided(region, 2, 2, 2);
    } else {
      // start from the coarse map so a transposed conv has a finer ancestor to land on
      SparseTensor coarse = SparseConvolution.forward(x, RandomSparse.uniform(rnd, DataType.DOUBLE, 8, 3, 3), null,
          ConvolutionSpec.strided(KernelRegion.cube(3, 2), 2, 2, 2));
      src = coarse;
      spec = mode == ConvolutionMode.TRANSPOSED ? ConvolutionSpec.transposed(region, 2, 2, 2)
          : ConvolutionSpec.generative(region, 2, 2, 2);
    }
    INDArray w = RandomSparse.uniform(rnd, DataType.DOUBLE, region.volume(), 3, 2);
    INDArray b = RandomSparse.uniform(rnd, DataType.DOUBLE, 2);
    OpPlan plan = SparseConvolution.plan(src, spec);
    SparseTensor y = SparseConvolution.forward(src, w, b, plan);
    INDArray r = probe(y);
    SparseTensor in = src;
    check(in.features().dup(), f -> dot(SparseConvolution.forward(in.withFeatures(f), w, b, plan).features(), r),
        SparseConvolution.backwardInput(plan, r, w), mode + " input");
    check(w.dup(), ww -> dot(SparseConvolution.forward(in, ww, b, plan).features(), r),
        SparseConvolution.backwardWeight(plan, in.features(), r), mode + " weight");
    check(b.dup(), bb -> dot(SparseConvolution.forward(in, w, bb, plan).features(), r),
        SparseConvolution.backwardBias(r), mode + " bias");
  }

  @ParameterizedTest
  @EnumSource(PoolingMode.class)
  void pooling(PoolingMode mode) {
    KernelRegion region = KernelRegion.cube(3, 2);
    int[] s = {2, 2, 2};
    SparsePooling.Result res = SparsePooling.forward(x, region, s, mode);
    INDArray r = probe(res.output());
    check(x.features().dup(), f -> dot(SparsePooling.forward(x.withFeatures(f), region, s, mode).output().features(), r),
        SparsePooling.backward(res, r), "pooling " + mode);
  }

  @ParameterizedTest
  @EnumSource(PoolingMode.class)
  void globalPooling(PoolingMode mode) {
    GlobalPooling.Result res = GlobalPooling.forward(x, mode);
    INDArray r = RandomSparse.uniform(rnd, DataType.DOUBLE, res.pooled().shape());
    check(x.features().dup(), f -> dot(GlobalPooling.forward(x.withFeatures(f), mode).pooled(), r),
        GlobalPooling.backward(x, res, r), "global " + mode);
  }

  @Test
  void broadcastIsTheAdjointOfGlobalSum() {
    INDArray v = RandomSparse.uniform(rnd, DataType.DOUBLE, GlobalPooling.batchCount(x), 3);
    INDArray r = probe(x);
    GlobalPooling.Result sum = GlobalPooling.forward(x.withFeatures(r), PoolingMode.SUM);
    check(v.dup(), vv -> dot(GlobalPooling.broadcast(x, vv).features(), r), sum.pooled(), "broadcast");
  }

  @Test
  void pruning() {
    boolean[] keep = new boolean[x.size()];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = i % 3 != 0;
    }
    SparsePruning.Result res = SparsePruning.forward(x, keep);
    INDArray r = probe(res.output());
    check(x.features().dup(), f -> dot(SparsePruning.forward(x.withFeatures(f), keep).output().features(), r),
        SparsePruning.backward(res, r), "prune");
  }

  @Test
  void unionConcatAndAdd() {
    boolean[] keep = new boolean[x.size()];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = i % 2 == 0;
    }
    SparseTensor part = SparsePruning.forward(x, keep).output();
    SparseUnion.Result u = SparseUnion.forward(List.of(part, x));
    assertEquals(x.size(), u.output().size(), "the union of a subset and the whole is the whole");
    INDArray r = probe(u.output());
    List<INDArray> grads = SparseUnion.backward(u, r);
    check(part.features().dup(), f -> dot(SparseUnion.forward(List.of(part.withFeatures(f), x)).output().features(), r),
        grads.get(0), "union first");
    check(x.features().dup(), f -> dot(SparseUnion.forward(List.of(part, x.withFeatures(f))).output().features(), r),
        grads.get(1), "union second");

    // the whole first: the union is the first map itself, its gradient is handed on as it is
    int maps = x.manager().mapKeys().size();
    SparseUnion.Result onto = SparseUnion.forward(List.of(x, part));
    assertEquals(x.key(), onto.output().key(), "a union onto a map that holds every input is that map");
    assertEquals(maps, x.manager().mapKeys().size(), "no new coordinate map");
    List<INDArray> ontoGrads = SparseUnion.backward(onto, r);
    assertTrue(ontoGrads.get(0) == r, "the first input's gradient is the output's");
    check(x.features().dup(), f -> dot(SparseUnion.forward(List.of(x.withFeatures(f), part)).output().features(), r),
        ontoGrads.get(0), "union onto the first, first");
    check(part.features().dup(), f -> dot(SparseUnion.forward(List.of(x, part.withFeatures(f))).output().features(), r),
        ontoGrads.get(1), "union onto the first, second");
    INDArray expected = x.features().dup();
    for (int row = 0; row < part.size(); row++) {
      int o = onto.rowMaps()[1][row];
      expected.getRow(o).addi(part.features().getRow(row));
    }
    assertEquals(expected, onto.output().features(), "the first input plus the others at their rows");

    SparseTensor other = x.withFeatures(RandomSparse.uniform(rnd, DataType.DOUBLE, x.size(), 2));
    SparseTensor cat = ChannelOps.concat(List.of(x, other));
    INDArray rc = probe(cat);
    List<INDArray> cg = ChannelOps.concatBackward(cat, new int[] {3, 2}, rc);
    check(other.features().dup(), f -> dot(ChannelOps.concat(List.of(x, other.withFeatures(f))).features(), rc),
        cg.get(1), "concat second");
    check(x.features().dup(), f -> dot(ChannelOps.concat(List.of(x.withFeatures(f), other)).features(), rc),
        cg.get(0), "concat first");

    SparseTensor y = x.withFeatures(RandomSparse.uniform(rnd, DataType.DOUBLE, x.size(), 3));
    INDArray ra = probe(x);
    check(x.features().dup(), f -> dot(ChannelOps.add(x.withFeatures(f), y).features(), ra), ra, "add");
  }
}
