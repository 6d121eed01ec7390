#!/usr/bin/env bash
# train_step of needle's MLPResNet (batch 100, Adam) against PyTorch eager
# doing the same step (forward, loss, backward, Adam) in the same run.
# Needs a build (BUILD_DIR, default build) and scripts/setup --with-reference.
# Prints the medians of REPEATS runs of each side and the ratio needle/PyTorch
# (below 1: needle is faster) against PyTorch's faster of 1 and 2 threads;
# needle runs on its default threads (every hardware thread) and on one.
#
# The model is examples/mlp_resnet.mlir with its dropouts replaced by the
# identity (tests/reference/train/mlp_resnet_nodropout.mlir), so that both
# sides do the same work without matching random masks; PyTorch runs the same
# network (Dropout 0).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
repeats=${REPEATS:-5}
batch=${BATCH:-100}
runs=${RUNS:-50}
artifact=$(mktemp -d)/mlp_resnet_train.so
"$build/bin/needlec" tests/reference/train/mlp_resnet_nodropout.mlir --optimizer=adam \
  --lr=0.001 --weight-decay=0.001 -o "$artifact"
export OPENBLAS_NUM_THREADS=1

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Compiled code mallocs its temporaries on each call; with glibc's defaults the
# large ones come from mmap and fault their pages in on every step. "retained"
# keeps freed memory in the process (GLIBC_TUNABLES), for both sides alike.
retained=glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=268435456
printf "%-24s %10s %10s %10s %10s %8s\n" "train_step, batch $batch" "needle ms" "1 thread" \
  "torch1 ms" "torch2 ms" ratio
for malloc in default retained; do
  tunables=$([ "$malloc" = retained ] && echo "$retained" || echo "")
  side() { for _ in $(seq "$repeats"); do GLIBC_TUNABLES=$tunables "$@" | cut -d' ' -f1; done | median; }
  n=$(side "$build/bin/train_step_latency" "$artifact" "$batch" 784 10 "$runs")
  n1=$(NEEDLE_NUM_THREADS=1 side "$build/bin/train_step_latency" "$artifact" "$batch" 784 10 "$runs")
  t1=$(side /usr/bin/python3 bench/torch_train_step.py "$batch" 1 "$runs")
  t2=$(side /usr/bin/python3 bench/torch_train_step.py "$batch" 2 "$runs")
  printf "%-24s %10.4f %10.4f %10.4f %10.4f %8.3f\n" "malloc $malloc" "$n" "$n1" "$t1" "$t2" \
    "$(awk -v n="$n" -v a="$t1" -v b="$t2" 'BEGIN {print n / (a < b ? a : b)}')"
done
