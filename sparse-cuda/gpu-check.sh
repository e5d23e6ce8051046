#!/usr/bin/env bash
# The GPU checks, packed here and run on a machine with an NVIDIA GPU but no JDK, no Maven and no
# ND4J native library (the device machine of DEVELOPERS.md).
#
#   bash sparse-cuda/gpu-check.sh pack   # here: build, then sparse-cuda/target/gpu-bundle.tgz (~25 MiB):
#                                        #   a jlink'd JRE, the jars the CUDA path needs, the tests
#   bash sparse-cuda/gpu-check.sh run    # there (carry sparse-cuda/target/gpu-bundle.tgz): unpacks it,
#                                        #   runs the sparse-cuda tests, then GpuBenchmark and PyTorch's dense
#                                        #   baseline (bench/dense_conv3d.py) unless --tests-only; results
#                                        #   under $OUT (or sparse-cuda/target/gpu-results)
#   bash sparse-cuda/gpu-check.sh pack-nn  # here: sparse-cuda/target/gpu-nn-bundle.tar.xz (56 MiB): the examples'
#                                          #   command line with ND4J's native CPU library, for the nn layer
#   bash sparse-cuda/gpu-check.sh run-nn   # there (carry that file): device-check on cuda at 128^3 and 256^3, a
#                                          #   CompletionNet training step against the CPU's
#
# The CUDA bundle leaves out nd4j-native, openblas, javacpp and fastutil: the CUDA path must not need them.
# The two bundles do not fit in one call together: run them in two calls, `run` first.
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE=sparse-cuda/target/gpu-bundle

pack() {
  mvn -B -q install -DskipTests -Dmaven.javadoc.skip=true -pl sparse-core,sparse-cuda -am
  mvn -B -q test-compile -pl sparse-cuda
  mvn -B -q dependency:build-classpath -pl sparse-cuda -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/jsparse-cuda.cp
  mvn -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.10.2
  rm -rf "$BUNDLE" && mkdir -p "$BUNDLE/lib"
  local keep='sparse-core|jcuda-12|nd4j-api|nd4j-common|slf4j-api|slf4j-simple|commons-lang3|guava-1.0.0|opentest4j'
  tr ':' '\n' < /tmp/jsparse-cuda.cp | grep -E "/($keep)[^/]*\.jar$" | while read -r jar; do cp "$jar" "$BUNDLE/lib/"; done
  # JCuda's natives jar holds five libraries (26 MB); the driver API needs one
  local natives
  natives=$(tr ':' '\n' < /tmp/jsparse-cuda.cp | grep jcuda-natives)
  (mkdir -p /tmp/jcuda-natives && cd /tmp/jcuda-natives && rm -rf lib && unzip -q -o "$natives" 'lib/libJCudaDriver-*' \
    && zip -q -r "$OLDPWD/$BUNDLE/lib/jcuda-natives-driver-only.jar" lib)
  cp sparse-cuda/target/sparse-cuda-*-SNAPSHOT.jar "$BUNDLE/lib/" 2>/dev/null || true
  rm -f "$BUNDLE"/lib/sparse-cuda-*-sources.jar "$BUNDLE"/lib/sparse-cuda-*-javadoc.jar
  (cd sparse-cuda/target/test-classes && zip -q -r "$OLDPWD/$BUNDLE/lib/sparse-cuda-tests.jar" .)
  cp ~/.m2/repository/org/junit/platform/junit-platform-console-standalone/1.10.2/junit-platform-console-standalone-1.10.2.jar "$BUNDLE/lib/"
  jlink --add-modules java.base,java.logging,java.management,java.xml,jdk.unsupported,jdk.zipfs \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output "$BUNDLE/jre"
  strip --strip-unneeded "$BUNDLE"/jre/lib/server/libjvm.so 2>/dev/null || true
  tar -C sparse-cuda/target -czf "$BUNDLE.tgz" gpu-bundle
  du -sh "$BUNDLE" "$BUNDLE.tgz"
}

# The nn bundle: the examples' command line with everything it needs, ND4J's native CPU library
# included (the nn layer's host arrays need it). Its jars are stored uncompressed, shared libraries
# stripped, C headers dropped and fastutil cut to the classes the library reaches, so that xz packs
# the 300 MB libnd4jcpu.so into about 27 MB and the whole into under the 64 MiB the device tool carries.
NN_BUNDLE=sparse-cuda/target/gpu-nn-bundle

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

pack_nn() {
  mvn -B -q install -DskipTests -Dmaven.javadoc.skip=true
  mvn -B -q dependency:build-classpath -pl sparse-examples -Dmdep.includeScope=runtime -Dmdep.outputFile=/tmp/jsparse-nn.cp
  rm -rf "$NN_BUNDLE" && mkdir -p "$NN_BUNDLE/lib"
  local here=$PWD jar name ours
  ours=$(ls sparse-{core,nn,cuda,examples}/target/sparse-*-0.1.0-SNAPSHOT.jar | grep -v -e sources -e javadoc | tr '\n' ' ')
  for jar in $(tr ':' '\n' < /tmp/jsparse-nn.cp) $(ls sparse-examples/target/sparse-examples-*-SNAPSHOT.jar); do
    jar=$(realpath "$jar")
    name=$(basename "$jar")
    case "$name" in
      junit-*|apiguardian-*|opentest4j-*) ;;
      fastutil-*) trim_fastutil "$jar" "$here/$NN_BUNDLE/lib/$name" "$ours" ;;
      jcuda-natives-*) (mkdir -p /tmp/jcuda-natives && cd /tmp/jcuda-natives && rm -rf lib \
          && unzip -q -o "$jar" 'lib/libJCudaDriver-*' && zip -q -0 -r "$here/$NN_BUNDLE/lib/jcuda-natives-driver-only.jar" lib) ;;
      *) repack_stored "$jar" "$here/$NN_BUNDLE/lib/$name" ;;
    esac
  done
  jlink --add-modules java.base,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported,jdk.zipfs \
    --strip-debug --no-header-files --no-man-pages --output "$NN_BUNDLE/jre"
  strip --strip-unneeded "$NN_BUNDLE"/jre/lib/server/libjvm.so 2>/dev/null || true
  tar -C sparse-cuda/target -cf - gpu-nn-bundle | xz -9 -T2 > "$NN_BUNDLE.tar.xz"
  du -sh "$NN_BUNDLE" "$NN_BUNDLE.tar.xz"
  # the bundle must run here, ND4J's native library loaded from it: the CPU against itself
  local cp
  cp=$(ls "$NN_BUNDLE"/lib/*.jar | tr '\n' ':')
  "$NN_BUNDLE/jre/bin/java" -Dorg.bytedeco.javacpp.cachedir=/tmp/jsparse-bundle-javacpp -cp "$cp" \
    org.jsparse.examples.Examples device-check --device cpu --size 96 --steps 1 --out /tmp/jsparse-bundle-check
}

# There: unpacks the nn bundle (with xz, or Python's lzma where xz is missing) and runs device-check on cuda.
run_nn() {
  local out="${OUT:-sparse-cuda/target/gpu-results}"
  mkdir -p "$out"
  if [[ ! -x "$NN_BUNDLE/jre/bin/java" ]]; then
    if command -v xz >/dev/null; then
      xz -dc "$NN_BUNDLE.tar.xz" | tar -C sparse-cuda/target -xf -
    else
      python3 -c "import tarfile,sys; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" "$NN_BUNDLE.tar.xz" sparse-cuda/target
    fi
  fi
  local java="$NN_BUNDLE/jre/bin/java"
  [[ -x "$java" ]] || { echo "no nn bundle at $NN_BUNDLE: run 'gpu-check.sh pack-nn' first and carry $NN_BUNDLE.tar.xz"; exit 2; }
  local cp
  cp=$(ls "$NN_BUNDLE"/lib/*.jar | tr '\n' ':')
  local size
  for size in 128 256; do
    "$java" -Xmx16g -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp -cp "$cp" org.jsparse.examples.Examples device-check --device cuda --size "$size" --steps 3 \
      --out "$out/device-check-$size" 2>&1 | tee "$out/device-check-$size.txt" || true
  done
}

run() {
  local out="${OUT:-sparse-cuda/target/gpu-results}"
  mkdir -p "$out"
  if [[ ! -x "$BUNDLE/jre/bin/java" && -f "$BUNDLE.tgz" ]]; then
    tar -C sparse-cuda/target -xzf "$BUNDLE.tgz"
  fi
  local java="$BUNDLE/jre/bin/java"
  [[ -x "$java" ]] || { echo "no bundle at $BUNDLE: run 'gpu-check.sh pack' first and carry $BUNDLE.tgz"; exit 2; }
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$out/gpu.txt" || true
  local cp
  cp=$(ls "$BUNDLE"/lib/*.jar | grep -v console-standalone | tr '\n' ':')
  "$java" -cp "$cp" org.jsparse.cuda.BundleCheck 2>&1 | tee "$out/bundle-check.txt"
  "$java" -jar "$BUNDLE"/lib/junit-platform-console-standalone-1.10.2.jar execute --class-path "$cp" \
    --select-package org.jsparse.cuda --reports-dir "$out/junit" --details=tree 2>&1 | tee "$out/tests.txt"
  if [[ "${2:-}" != "--tests-only" ]]; then
    "$java" -Xmx8g -cp "$cp" org.jsparse.cuda.GpuBenchmark "$out" 2>&1 | tee "$out/sparse.txt"
    python3 sparse-cuda/bench/dense_conv3d.py "$out" 2>&1 | tee "$out/dense.txt" || echo "dense baseline failed"
  fi
}

case "${1:-}" in
  pack) pack ;;
  run) run "$@" ;;
  pack-nn) pack_nn ;;
  run-nn) run_nn ;;
  *) echo "usage: gpu-check.sh pack|run|pack-nn|run-nn"; exit 2 ;;
esac
