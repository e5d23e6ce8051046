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
#
# The bundle leaves out nd4j-native, openblas, javacpp and fastutil: the CUDA path must not need them.
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
  *) echo "usage: gpu-check.sh pack|run"; exit 2 ;;
esac
