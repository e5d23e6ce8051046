package org.jsparse.cuda;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Scanner;
import org.jsparse.core.backend.Backend;
import org.jsparse.core.backend.Backends;
import org.jsparse.core.backend.DeviceKernelMaps;
import org.jsparse.core.kmap.KernelMap;
import org.jsparse.core.kmap.NeighbourQuery;
import org.jsparse.core.memory.MemoryLedger;

/**
 * The device kernel-map build of coords.cu run on the CPU: {@code src/test/cpp/kernel_map_emulation.cpp}
 * compiled with g++ against the kernels' own source and {@code cuda_emulation.h}, one process a
 * query, and {@code strided_emulation.cpp} for the rows a strided map keeps. A CPU backend that
 * offers it as its {@link Backend#kernelMaps()} makes a manager send its maps and strides there, as
 * it does on a GPU. Every query and answer is kept for the test to read.
 */
final class EmulatedKernelMaps implements DeviceKernelMaps {
  /** One build: what was asked, and what came back (pairs by offset, and each output key's plain hash query). */
  record Answer(NeighbourQuery query, int[] starts, int[] ins, int[] outs, int[] found) {}

  private final Path executable;
  private final Path strided;
  final List<Answer> answers = new ArrayList<>();
  int attached;
  /** Strided row sets the emulation gave, and how many it declined (a floor outside the packable range). */
  int stridedAnswers;
  int stridedDeclined;

  private EmulatedKernelMaps(Path executable, Path strided) {
    this.executable = executable;
    this.strided = strided;
  }

  /** Compiles the emulation, or returns null (with the reason on stderr) where g++ or the sources are missing. */
  static EmulatedKernelMaps compile(Path workDir) {
    Path exe = KernelEmulation.compile(workDir, "kernel_map_emulation");
    Path strided = exe == null ? null : KernelEmulation.compile(workDir, "strided_emulation");
    return strided == null ? null : new EmulatedKernelMaps(exe, strided);
  }

  /** A CPU backend whose kernel maps come from this emulation. */
  Backend backend() {
    Backend cpu = Backends.cpu();
    return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
        (proxy, method, args) -> {
          if (method.getName().equals("kernelMaps") && method.getParameterCount() == 0) {
            return this;
          }
          try {
            return method.invoke(cpu, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override
  public DeviceMap build(NeighbourQuery q, MemoryLedger ledger) {
    boolean same = q.outKeys() == q.inKeys();
    StringBuilder in = new StringBuilder();
    in.append(q.inRows()).append(' ').append(q.outRows()).append(' ').append(q.volume()).append(' ')
        .append(q.dimension()).append(' ').append(q.axisBits()).append(' ').append(same ? 1 : 0).append('\n');
    for (long k : q.inKeys()) {
      in.append(k).append(' ');
    }
    if (!same) {
      for (long k : q.outKeys()) {
        in.append(k).append(' ');
      }
    }
    for (long d : q.deltas()) {
      in.append(d).append(' ');
    }
    for (int a : q.axisOffsets()) {
      in.append(a).append(' ');
    }
    String out = KernelEmulation.run(executable, in.toString());
    Scanner s = new Scanner(out);
    int[] starts = read(s, q.volume() + 1);
    int total = starts[q.volume()];
    int[] ins = read(s, total);
    int[] outs = read(s, total);
    int[] found = read(s, q.outRows());
    answers.add(new Answer(q, starts, ins, outs, found));
    return new DeviceMap() {
      @Override
      public int[] starts() {
        return starts.clone();
      }

      @Override
      public void download(int from, int to, int[] i, int[] o) {
        System.arraycopy(ins, from, i, 0, to - from);
        System.arraycopy(outs, from, o, 0, to - from);
      }

      @Override
      public void attach(KernelMap host) {
        attached++;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public int[] stridedRows(long[] keys, int dimension, int axisBits, int[] stride, MemoryLedger ledger) {
    StringBuilder in = new StringBuilder();
    in.append(keys.length).append(' ').append(dimension).append(' ').append(axisBits).append('\n');
    for (int t : stride) {
      in.append(t).append(' ');
    }
    for (long k : keys) {
      in.append(k).append(' ');
    }
    Scanner s = new Scanner(KernelEmulation.run(strided, in.toString()));
    int kept = s.nextInt();
    if (kept < 0) {
      stridedDeclined++;
      return null;
    }
    stridedAnswers++;
    return read(s, kept);
  }

  private static int[] read(Scanner s, int n) {
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = s.nextInt();
    }
    return v;
  }
}
