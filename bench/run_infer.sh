#!/usr/bin/env bash
# infer of examples/mlp_resnet.mlir against PyTorch eager, in the same run.
# Needs a build (BUILD_DIR, default build) and scripts/setup --with-reference.
# Prints, per batch size, the medians of REPEATS runs of each side and the
# ratio needle/PyTorch (below 1: needle is faster).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
repeats=${REPEATS:-5}
artifact=$(mktemp -d)/mlp_resnet.so
"$build/bin/needlec" examples/mlp_resnet.mlir -o "$artifact"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf "%-8s %14s %14s %10s\n" batch "needle ms" "torch ms" ratio
for batch in 100 10000; do
  runs=$([ "$batch" -ge 10000 ] && echo 10 || echo 50)
  n=$(for _ in $(seq "$repeats"); do "$build/bin/infer_latency" "$artifact" infer "$batch" 784 "$runs" | cut -d' ' -f1; done | median)
  t=$(for _ in $(seq "$repeats"); do /usr/bin/python3 bench/torch_mlp_resnet.py infer "$batch" "$runs" | cut -d' ' -f1; done | median)
  printf "%-8s %14.4f %14.4f %10.3f\n" "$batch" "$n" "$t" "$(awk -v n="$n" -v t="$t" 'BEGIN {print n / t}')"
done
