package org.jsparse.nn.backend;

import java.util.Map;
import java.util.TreeMap;
import org.jsparse.core.backend.AdamStep;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.backend.Buffer;
import org.jsparse.core.backend.PointwiseFunction;
import org.jsparse.core.backend.SgdStep;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.memory.MemoryCategory;
import org.jsparse.core.memory.MemoryLedger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A backend that counts every call and hands it to the CPU backend: a test of what runs through the seam. */
final class CountingBackend implements Backend {
  private final Backend cpu = Backends.cpu();
  private final Map<String, Integer> calls = new TreeMap<>();

  Map<String, Integer> calls() {
    return calls;
  }

  int count(String method) {
    return calls.getOrDefault(method, 0);
  }

  private void hit(String method) {
    calls.merge(method, 1, Integer::sum);
  }

  @Override
  public String device() {
    return cpu.device();
  }

  @Override
  public Buffer zeros(MemoryLedger ledger, MemoryCategory category, String op, DataType type, long rows, long cols) {
    hit("zeros");
    return cpu.zeros(ledger, category, op, type, rows, cols);
  }

  @Override
  public Buffer upload(MemoryLedger ledger, MemoryCategory category, String op, Object values, long rows, long cols) {
    hit("upload");
    return cpu.upload(ledger, category, op, values, rows, cols);
  }

  @Override
  public Object download(Buffer buffer) {
    hit("download");
    return cpu.download(buffer);
  }

  @Override
  public Buffer borrow(INDArray array, long rows) {
    hit("borrow");
    return cpu.borrow(array, rows);
  }

  @Override
  public INDArray toINDArray(Buffer buffer, long... shape) {
    hit("toINDArray");
    return cpu.toINDArray(buffer, shape);
  }

  @Override
  public boolean sharesHostMemory() {
    return cpu.sharesHostMemory();
  }

  @Override
  public void trim() {
    hit("trim");
    cpu.trim();
  }

  @Override
  public void convolutionForward(Buffer in, Buffer weight, KernelMap map, Buffer out, MemoryLedger ledger) {
    hit("convolutionForward");
    cpu.convolutionForward(in, weight, map, out, ledger);
  }

  @Override
  public void convolutionBackwardInput(Buffer gradOut, Buffer weight, KernelMap map, Buffer gradIn, MemoryLedger ledger) {
    hit("convolutionBackwardInput");
    cpu.convolutionBackwardInput(gradOut, weight, map, gradIn, ledger);
  }

  @Override
  public void convolutionBackwardWeight(Buffer in, Buffer gradOut, KernelMap map, Buffer gradWeight,
      MemoryLedger ledger) {
    hit("convolutionBackwardWeight");
    cpu.convolutionBackwardWeight(in, gradOut, map, gradWeight, ledger);
  }

  @Override
  public void gatherRows(Buffer src, int[] rows, Buffer dst) {
    hit("gatherRows");
    cpu.gatherRows(src, rows, dst);
  }

  @Override
  public void scatterAddRows(Buffer src, int[] rows, Buffer dst, double scale) {
    hit("scatterAddRows");
    cpu.scatterAddRows(src, rows, dst, scale);
  }

  @Override
  public void copyColumns(Buffer src, int srcColumn, Buffer dst, int dstColumn, int width) {
    hit("copyColumns");
    cpu.copyColumns(src, srcColumn, dst, dstColumn, width);
  }

  @Override
  public void poolMax(Buffer in, KernelMap map, Buffer out, int[] argmax) {
    hit("poolMax");
    cpu.poolMax(in, map, out, argmax);
  }

  @Override
  public void poolMaxBackward(Buffer gradOut, int[] argmax, Buffer gradIn) {
    hit("poolMaxBackward");
    cpu.poolMaxBackward(gradOut, argmax, gradIn);
  }

  @Override
  public void poolSum(Buffer in, KernelMap map, int[] counts, Buffer out) {
    hit("poolSum");
    cpu.poolSum(in, map, counts, out);
  }

  @Override
  public void poolSumBackward(Buffer gradOut, KernelMap map, int[] counts, Buffer gradIn) {
    hit("poolSumBackward");
    cpu.poolSumBackward(gradOut, map, counts, gradIn);
  }

  @Override
  public void pointwise(PointwiseFunction f, Buffer x, Buffer y) {
    hit("pointwise");
    cpu.pointwise(f, x, y);
  }

  @Override
  public void pointwiseBackward(PointwiseFunction f, Buffer gradOut, Buffer value, boolean atOutput, Buffer gradIn) {
    hit("pointwiseBackward");
    cpu.pointwiseBackward(f, gradOut, value, atOutput, gradIn);
  }

  @Override
  public void add(Buffer a, Buffer b, double beta, Buffer out) {
    hit("add");
    cpu.add(a, b, beta, out);
  }

  @Override
  public void dropout(Buffer x, long seed, double p, Buffer out) {
    hit("dropout");
    cpu.dropout(x, seed, p, out);
  }

  @Override
  public void multiply(Buffer a, Buffer b, Buffer out) {
    hit("multiply");
    cpu.multiply(a, b, out);
  }

  @Override
  public void adamStep(Buffer param, Buffer grad, Buffer expAvg, Buffer expAvgSq, Buffer maxExpAvgSq, AdamStep step) {
    hit("adamStep");
    cpu.adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, step);
  }

  @Override
  public void sgdStep(Buffer param, Buffer grad, Buffer momentumBuffer, SgdStep step) {
    hit("sgdStep");
    cpu.sgdStep(param, grad, momentumBuffer, step);
  }

  @Override
  public void channelwiseForward(Buffer in, Buffer weight, KernelMap map, Buffer out, MemoryLedger ledger) {
    hit("channelwiseForward");
    cpu.channelwiseForward(in, weight, map, out, ledger);
  }

  @Override
  public void channelwiseBackwardInput(Buffer gradOut, Buffer weight, KernelMap map, Buffer gradIn, MemoryLedger ledger) {
    hit("channelwiseBackwardInput");
    cpu.channelwiseBackwardInput(gradOut, weight, map, gradIn, ledger);
  }

  @Override
  public void channelwiseBackwardWeight(Buffer in, Buffer gradOut, KernelMap map, Buffer gradWeight,
      MemoryLedger ledger) {
    hit("channelwiseBackwardWeight");
    cpu.channelwiseBackwardWeight(in, gradOut, map, gradWeight, ledger);
  }

  @Override
  public void scale(Buffer a, double s, Buffer out) {
    hit("scale");
    cpu.scale(a, s, out);
  }

  @Override
  public void addRowVector(Buffer v, Buffer out) {
    hit("addRowVector");
    cpu.addRowVector(v, out);
  }

  @Override
  public void gemm(Buffer a, boolean transposeA, Buffer b, boolean transposeB, double beta, Buffer c) {
    hit("gemm");
    cpu.gemm(a, transposeA, b, transposeB, beta, c);
  }

  @Override
  public void columnSums(Buffer x, double[] sums) {
    hit("columnSums");
    cpu.columnSums(x, sums);
  }

  @Override
  public double bceWithLogitsSum(Buffer logits, int[] positives, MemoryLedger ledger) {
    hit("bceWithLogitsSum");
    return cpu.bceWithLogitsSum(logits, positives, ledger);
  }

  @Override
  public void bceWithLogitsBackward(Buffer logits, int[] positives, double scale, Buffer gradIn, MemoryLedger ledger) {
    hit("bceWithLogitsBackward");
    cpu.bceWithLogitsBackward(logits, positives, scale, gradIn, ledger);
  }

  @Override
  public boolean[] greaterThan(Buffer x, double threshold) {
    hit("greaterThan");
    return cpu.greaterThan(x, threshold);
  }

  @Override
  public int firstNonFiniteRow(Buffer x) {
    hit("firstNonFiniteRow");
    return cpu.firstNonFiniteRow(x);
  }

  @Override
  public void groupMoments(Buffer x, int[] group, int groups, double[] mean, double[] variance, int[] count) {
    hit("groupMoments");
    cpu.groupMoments(x, group, groups, mean, variance, count);
  }

  @Override
  public void normalize(Buffer x, int[] group, double[] mean, double[] invStd, double[] gamma, double[] beta, Buffer y) {
    hit("normalize");
    cpu.normalize(x, group, mean, invStd, gamma, beta, y);
  }

  @Override
  public void normalizeBackward(Buffer gradOut, Buffer x, int[] group, int groups, double[] mean, double[] invStd,
      double[] gamma, int[] count, Buffer gradIn, double[] dGamma, double[] dBeta) {
    hit("normalizeBackward");
    cpu.normalizeBackward(gradOut, x, group, groups, mean, invStd, gamma, count, gradIn, dGamma, dBeta);
  }

  @Override
  public void close() {
    cpu.close();
  }
}
