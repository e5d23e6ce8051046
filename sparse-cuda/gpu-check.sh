#!/usr/bin/env bash
# The GPU checks, packed here and run on a machine with an NVIDIA GPU but no JDK and no Maven (the
# device machine of DEVELOPERS.md), in one call.
#
#   bash sparse-cuda/gpu-check.sh pack   # here: build, then sparse-cuda/target/gpu-bundle.tar.xz (~58 MiB):
#                                        #   a jlink'd JRE, every jar the examples' command line needs (ND4J's
#                                        #   native CPU library included), the sparse-cuda tests; then proves
#                                        #   the bundle here (both class paths below, on the CPU)
#   bash sparse-cuda/gpu-check.sh run    # there (carry sparse-cuda/target/gpu-bundle.tar.xz): unpacks it, runs
#                                        #   the sparse-cuda tests, then (unless --tests-only) GpuBenchmark,
#                                        #   PyTorch's dense baseline (bench/dense_conv3d.py) and device-check
#                                        #   on cuda at 128^3 and 256^3 (CompletionNet training steps against the
#                                        #   CPU's); results in sparse-cuda/target/gpu-results, and as
#                                        #   $OUT/gpu-results.tgz on the device machine
#
# Two class paths from one folder: the CUDA tests and benchmarks run on the CUDA path's jars alone,
# without nd4j-native, openblas, javacpp and fastutil (the CUDA path must not need them: BundleCheck
# and the tests prove it); device-check runs the nn layer, whose host arrays need ND4J's native
# library. That library (libnd4jcpu.so, 323 MB) fits because every jar is stored uncompressed, shared
# libraries stripped, C headers dropped and fastutil cut to the classes our jars reach, and xz
# compresses the whole: the 300 MB stripped library becomes about 27 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE=sparse-cuda/target/gpu-bundle
# the CUDA path's jars: what the CUDA tests may load
CUDA_JARS='sparse-core|sparse-cuda|jcuda-12|jcuda-natives|nd4j-api|nd4j-common|slf4j-api|slf4j-simple|commons-lang3|guava-1.0.0|opentest4j'

# Repacks a jar stored (xz compresses class files and libraries better than zip does), natives stripped.
repack_stored() {
  local jar=$1 dest=$2 tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && unzip -q "$jar" && rm -rf org/bytedeco/*/linux-x86_64/include \
    && find . -name '*.so*' -type f -exec strip --strip-unneeded {} \; 2>/dev/null; zip -q -0 -r "$dest" .)
  rm -rf "$tmp"
}

# fastutil is 23 MB of generated classes; keeps the ones our jars reach, transitively (jdeps' constant-pool graph).
trim_fastutil() {
  local jar=$1 dest=$2 ours=$3 tmp
  tmp=$(mktemp -d)
  jdeps -verbose:class -filter:none "$jar" > "$tmp/all.deps" 2>/dev/null
  jdeps -verbose:class -filter:none -cp "$jar" $ours > "$tmp/ours.deps" 2>/dev/null || true
  python3 - "$tmp" <<'PY'
import re, sys, collections
tmp = sys.argv[1]
pattern = re.compile(r"\s+(\S+)\s+->\s+(it\.unimi\.dsi\.fastutil\S+)")
edges = collections.defaultdict(set)
for line in open(tmp + "/all.deps"):
    m = pattern.match(line)
    if m:
        edges[m.group(1)].add(m.group(2))
todo = [m.group(2) for m in map(pattern.match, open(tmp + "/ours.deps")) if m]
keep = set(todo)
while todo:
    for d in edges.get(todo.pop(), ()):
        if d not in keep:
            keep.add(d)
            todo.append(d)
open(tmp + "/keep.txt", "w").write("\n".join(c.replace(".", "/") + ".class" for c in sorted(keep)) + "\n")
print("fastutil: %d classes kept" % len(keep))
PY
  (cd "$tmp" && mkdir x && cd x && unzip -q "$jar" && zip -q -0 "$dest" $(cat ../keep.txt) META-INF/MANIFEST.MF)
  rm -rf "$tmp"
}

# The class paths of an unpacked bundle: every jar, or the CUDA path's alone.
all_jars() { ls "$BUNDLE"/lib/*.jar | grep -v console-standalone | tr '\n' ':'; }
cuda_jars() { ls "$BUNDLE"/lib/*.jar | grep -E "/($CUDA_JARS)[^/]*\.jar$" | tr '\n' ':'; }

pack() {
  mvn -B -q install -DskipTests -Dmaven.javadoc.skip=true
  mvn -B -q test-compile -pl sparse-cuda
  mvn -B -q dependency:build-classpath -pl sparse-examples -Dmdep.includeScope=runtime -Dmdep.outputFile=/tmp/jsparse-all.cp
  mvn -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.10.2
  rm -rf "$BUNDLE" && mkdir -p "$BUNDLE/lib"
  local here=$PWD jar name ours
  ours=$(ls sparse-{core,nn,cuda,examples}/target/sparse-*-0.1.0-SNAPSHOT.jar | grep -v -e sources -e javadoc | tr '\n' ' ')
  for jar in $(tr ':' '\n' < /tmp/jsparse-all.cp) $ours \
      ~/.m2/repository/org/junit/platform/junit-platform-console-standalone/1.10.2/junit-platform-console-standalone-1.10.2.jar; do
    jar=$(realpath "$jar")
    name=$(basename "$jar")
    [[ -e "$BUNDLE/lib/$name" ]] && continue
    case "$name" in
      junit-jupiter*|junit-platform-commons*|junit-platform-engine*|apiguardian-*) ;; # the console launcher holds them
      fastutil-*) trim_fastutil "$jar" "$here/$BUNDLE/lib/$name" "$ours" ;;
      jcuda-natives-*) # five libraries (26 MB); the driver API needs one
        (mkdir -p /tmp/jcuda-natives && cd /tmp/jcuda-natives && rm -rf lib \
          && unzip -q -o "$jar" 'lib/libJCudaDriver-*' && zip -q -0 -r "$here/$BUNDLE/lib/jcuda-natives-driver-only.jar" lib) ;;
      *) repack_stored "$jar" "$here/$BUNDLE/lib/$name" ;;
    esac
  done
  (cd sparse-cuda/target/test-classes && zip -q -0 -r "$here/$BUNDLE/lib/sparse-cuda-tests.jar" .)
  jlink --add-modules java.base,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported,jdk.zipfs \
    --strip-debug --no-header-files --no-man-pages --output "$BUNDLE/jre"
  strip --strip-unneeded "$BUNDLE"/jre/lib/server/libjvm.so 2>/dev/null || true
  tar -C sparse-cuda/target -cf - gpu-bundle | xz -9 -T2 > "$BUNDLE.tar.xz"
  ls -l "$BUNDLE.tar.xz"
  # proves the bundle here: the CUDA path without ND4J's native library, the nn layer with it
  "$BUNDLE/jre/bin/java" -cp "$(cuda_jars)" org.jsparse.cuda.BundleCheck
  "$BUNDLE/jre/bin/java" -Dorg.bytedeco.javacpp.cachedir=/tmp/jsparse-bundle-javacpp -cp "$(all_jars)" \
    org.jsparse.examples.Examples device-check --device cpu --size 96 --steps 1 --out /tmp/jsparse-bundle-check
}

run() {
  # results in one folder, sent back as one archive (the device tool returns at most 8 files)
  local out=sparse-cuda/target/gpu-results
  rm -rf "$out" && mkdir -p "$out"
  [[ -n "${OUT:-}" ]] && trap 'tar -C sparse-cuda/target -czf "$OUT/gpu-results.tgz" gpu-results' EXIT
  if [[ ! -x "$BUNDLE/jre/bin/java" && -f "$BUNDLE.tar.xz" ]]; then
    if command -v xz >/dev/null; then
      xz -dc "$BUNDLE.tar.xz" | tar -C sparse-cuda/target -xf -
    else # Python's lzma where xz is missing
      python3 -c "import tarfile,sys; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" "$BUNDLE.tar.xz" sparse-cuda/target
    fi
  fi
  local java="$BUNDLE/jre/bin/java"
  [[ -x "$java" ]] || { echo "no bundle at $BUNDLE: run 'gpu-check.sh pack' first and carry $BUNDLE.tar.xz"; exit 2; }
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$out/gpu.txt" || true
  local cp
  cp=$(cuda_jars)
  "$java" -cp "$cp" org.jsparse.cuda.BundleCheck 2>&1 | tee "$out/bundle-check.txt"
  "$java" -jar "$BUNDLE"/lib/junit-platform-console-standalone-1.10.2.jar execute --class-path "$cp" \
    --select-package org.jsparse.cuda --reports-dir "$out/junit" --details=tree 2>&1 | tee "$out/tests.txt" \
    || echo "some sparse-cuda tests failed: see tests.txt"
  if [[ "${2:-}" != "--tests-only" ]]; then
    "$java" -Xmx8g -cp "$cp" org.jsparse.cuda.GpuBenchmark "$out" 2>&1 | tee "$out/sparse.txt" || echo "GpuBenchmark failed"
    python3 sparse-cuda/bench/dense_conv3d.py "$out" 2>&1 | tee "$out/dense.txt" || echo "dense baseline failed"
    local size
    for size in 128 256; do
      "$java" -Xmx16g -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp -cp "$(all_jars)" org.jsparse.examples.Examples \
        device-check --device cuda --size "$size" --steps 3 --out "$out/device-check-$size" 2>&1 \
        | tee "$out/device-check-$size.txt" || true
    done
  fi
}

case "${1:-}" in
  pack) pack ;;
  run) run "$@" ;;
  *) echo "usage: gpu-check.sh pack | run [--tests-only]"; exit 2 ;;
esac
