#!/usr/bin/env bash
# infer of examples/mlp_resnet.mlir against PyTorch eager, in the same run.
# Needs a build (BUILD_DIR, default build) and scripts/setup --with-reference.
# Prints, per batch size, the medians of REPEATS runs of each side and the
# ratio needle/PyTorch (below 1: needle is faster): needle on its default
# threads (every hardware thread) and on one; PyTorch on 1 and 2 threads
# (OPENBLAS_NUM_THREADS=1), the ratio against the faster.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
repeats=${REPEATS:-5}
artifact=$(mktemp -d)/mlp_resnet.so
"$build/bin/needlec" examples/mlp_resnet.mlir -o "$artifact"
export OPENBLAS_NUM_THREADS=1

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf "%-8s %12s %12s %12s %12s %8s\n" batch "needle ms" "1 thread" "torch1 ms" "torch2 ms" ratio
for batch in 100 10000; do
  runs=$([ "$batch" -ge 10000 ] && echo 10 || echo 50)
  side() { for _ in $(seq "$repeats"); do "$@" | cut -d' ' -f1; done | median; }
  n=$(side "$build/bin/infer_latency" "$artifact" infer "$batch" 784 "$runs")
  n1=$(NEEDLE_NUM_THREADS=1 side "$build/bin/infer_latency" "$artifact" infer "$batch" 784 "$runs")
  t1=$(side /usr/bin/python3 bench/torch_mlp_resnet.py infer "$batch" "$runs" 1)
  t2=$(side /usr/bin/python3 bench/torch_mlp_resnet.py infer "$batch" "$runs" 2)
  printf "%-8s %12.4f %12.4f %12.4f %12.4f %8.3f\n" "$batch" "$n" "$n1" "$t1" "$t2" \
    "$(awk -v n="$n" -v a="$t1" -v b="$t2" 'BEGIN {print n / (a < b ? a : b)}')"
done
