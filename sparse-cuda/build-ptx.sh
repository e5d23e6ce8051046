#!/usr/bin/env bash
# Regenerates the kernels shipped in the jar from src/main/cuda when nvcc is on the PATH (Maven runs
# this in generate-resources; without nvcc it keeps the shipped files, which is what users and CI
# get). Per module: <m>.fatbin (SASS for sm_80 and sm_90 plus compute_80 PTX that newer GPUs JIT),
# <m>.ptx (the compute_80 PTX as text, which the tests read) and <m>.sha256 (the hash of the
# sources they were made from; PtxSourcesTest fails when a .cu changed and this was not rerun).
set -euo pipefail
cd "$(dirname "$0")"
SRC=src/main/cuda
OUT=src/main/resources/org/jsparse/cuda/kernels
FLAGS="-O3 -std=c++17"
if ! command -v nvcc >/dev/null 2>&1; then
  echo "build-ptx: no nvcc on the PATH; keeping the shipped kernels in $OUT"
  exit 0
fi
mkdir -p "$OUT"
for cu in "$SRC"/*.cu; do
  m=$(basename "$cu" .cu)
  hash=$(cat "$SRC/common.cuh" "$cu" | sha256sum | cut -d' ' -f1)
  if [[ -f "$OUT/$m.sha256" && "$(cut -d' ' -f1 "$OUT/$m.sha256")" == "$hash" && -f "$OUT/$m.fatbin" && -f "$OUT/$m.ptx" ]]; then
    continue
  fi
  echo "build-ptx: $m"
  nvcc $FLAGS -ptx -arch=compute_80 -o "$OUT/$m.ptx" "$cu"
  nvcc $FLAGS -fatbin \
    -gencode arch=compute_80,code=sm_80 \
    -gencode arch=compute_90,code=sm_90 \
    -gencode arch=compute_80,code=compute_80 \
    -o "$OUT/$m.fatbin" "$cu"
  echo "$hash  common.cuh+$m.cu nvcc $(nvcc --version | grep -o 'release [0-9.]*') $FLAGS" > "$OUT/$m.sha256"
done
