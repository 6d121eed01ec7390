#!/usr/bin/env bash
# train_step of needle's MLPResNet (batch 100, Adam) against PyTorch eager
# doing the same step (forward, loss, backward, Adam) in the same run.
# Needs a build (BUILD_DIR, default build) and scripts/setup --with-reference.
# Prints the medians of REPEATS runs of each side and the ratio needle/PyTorch
# (below 1: needle is faster), PyTorch on 1 and on 2 threads; needle's code
# runs on one thread.
#
# The model is examples/mlp_resnet.mlir with its dropouts replaced by the
# identity (tests/reference/train/mlp_resnet_nodropout.mlir): dropout's
# training form does not lower yet. PyTorch runs the same network (Dropout 0).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
repeats=${REPEATS:-5}
batch=${BATCH:-100}
runs=${RUNS:-50}
artifact=$(mktemp -d)/mlp_resnet_train.so
"$build/bin/needlec" tests/reference/train/mlp_resnet_nodropout.mlir --optimizer=adam \
  --lr=0.001 --weight-decay=0.001 -o "$artifact"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Compiled code mallocs its temporaries on each call; with glibc's defaults the
# large ones come from mmap and fault their pages in on every step. "retained"
# keeps freed memory in the process (GLIBC_TUNABLES), for both sides alike.
retained=glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=268435456
printf "%-34s %10s %10s %8s\n" "train_step, batch $batch" "needle ms" "torch ms" ratio
for malloc in default retained; do
  tunables=$([ "$malloc" = retained ] && echo "$retained" || echo "")
  n=$(for _ in $(seq "$repeats"); do GLIBC_TUNABLES=$tunables "$build/bin/train_step_latency" "$artifact" "$batch" 784 10 "$runs" | cut -d' ' -f1; done | median)
  for threads in 1 2; do
    t=$(for _ in $(seq "$repeats"); do GLIBC_TUNABLES=$tunables /usr/bin/python3 bench/torch_train_step.py "$batch" "$threads" "$runs" | cut -d' ' -f1; done | median)
    printf "%-34s %10.4f %10.4f %8.3f\n" "malloc $malloc, torch $threads thread(s)" "$n" "$t" "$(awk -v n="$n" -v t="$t" 'BEGIN {print n / t}')"
  done
done
