#!/usr/bin/env bash
# BatchNorm1d alone (examples/batchnorm1d.mlir widened to FEATURES), f32,
# training forward and inference, against PyTorch eager at its best (1 or 2
# threads, OPENBLAS_NUM_THREADS=1) and a STREAM-like copy of the same bytes,
# all in the same run. needle runs on THREADS threads (default: every
# hardware thread, as the runtime does), and on 1 for information.
# Needs a build (BUILD_DIR, default build) and scripts/setup --with-reference.
#
# Bytes counted per call: x read once + y written once (2 * N * C * 4), the
# traffic a copy of x makes; GB/s = those bytes / median time. Columns:
#   train ms        needle's training forward on THREADS threads (and on 1)
#   torch1/2        PyTorch's training forward on 1 and 2 threads
#   x best          PyTorch's best time / needle's (above 1: needle is faster)
#   bound           a read of x followed by a copy of x to y (back to back,
#                   on THREADS threads, each thread on the same rows in both)
#                   / needle's training time: how close the training form,
#                   which reads x for its statistics and then reads x and
#                   writes y, comes to that traffic on this machine (1 = at it)
#   infer ms        needle's inference on THREADS threads (and on 1)
#   GB/s            needle's inference bandwidth
#   copy GB/s       a STREAM-like copy of x's bytes on THREADS threads (each
#                   copying a contiguous part, as STREAM does), in the same
#                   process, as cache-resident as x and y
#   inf/cp          needle inference GB/s / that copy's; "1t" both on 1 thread
# The last lines compare with the copy on arrays far beyond the caches.
# Each side runs in REPEATS processes, interleaved; medians of their medians.
# SHAPES (default "128x1024 1024x1024 8192x512") picks the N x C sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
repeats=${REPEATS:-5}
runs=${RUNS:-50}
threads=${THREADS:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OPENBLAS_NUM_THREADS=1

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
gbps() { awk -v n="$1" -v c="$2" -v ms="$3" 'BEGIN {printf "%.1f", 2 * n * c * 4 / (ms * 1e6)}'; }
field() { echo -n "$1" | cut -d' ' -f"$2" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN {print (a < b ? a : b)}'; }

echo "needle on $threads thread(s); PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
printf "%-10s | %8s %8s %8s %8s %6s %6s | %8s %8s %6s %6s %6s %6s\n" "N x C" \
  "train ms" "1 thread" "torch1" "torch2" "x best" "bound" \
  "infer ms" "1 thread" "GB/s" "copy" "inf/cp" "1t"
large=() infer_gbps=()
for shape in ${SHAPES:-128x1024 1024x1024 8192x512}; do
  n=${shape%x*} c=${shape#*x}
  model="$work/bn$c.mlir" artifact="$work/bn$c.so"
  sed -e "s/x3xf32/x${c}xf32/g" -e "s/<3xf32>/<${c}xf32>/g" \
    -e "s/BatchNorm1d(3)/BatchNorm1d($c)/" examples/batchnorm1d.mlir >"$model"
  "$build/bin/needlec" "$model" -o "$artifact" --entry=forward_train --entry=infer

  # Interleaved, so that every side sees the same load on a shared machine.
  needle="" serial="" torch1="" torch2=""
  for _ in $(seq "$repeats"); do
    needle+="$("$build/bin/batchnorm_bench" "$artifact" "$n" "$c" "$runs" "$threads")"$'\n'
    serial+="$("$build/bin/batchnorm_bench" "$artifact" "$n" "$c" "$runs" 1)"$'\n'
    torch1+="$(/usr/bin/python3 bench/batchnorm_torch.py "$n" "$c" 1 "$runs")"$'\n'
    torch2+="$(/usr/bin/python3 bench/batchnorm_torch.py "$n" "$c" 2 "$runs")"$'\n'
  done
  train=$(field "$needle" 1) infer=$(field "$needle" 2) copy=$(field "$needle" 3)
  train_1=$(field "$serial" 1) infer_1=$(field "$serial" 2) copy_1=$(field "$serial" 3)
  large+=($(field "$needle" 5))
  sweeps=$(field "$needle" 6)
  torch_train_1=$(field "$torch1" 1) torch_train_2=$(field "$torch2" 1)
  best=$(min "$torch_train_1" "$torch_train_2")
  infer_gbps+=("$shape:$(gbps "$n" "$c" "$infer")")
  printf "%-10s | %8.4f %8.4f %8.4f %8.4f %6s %6s | %8.4f %8.4f %6s %6s %6s %6s\n" "$shape" \
    "$train" "$train_1" "$torch_train_1" "$torch_train_2" "$(ratio "$best" "$train")" \
    "$(ratio "$sweeps" "$train")" \
    "$infer" "$infer_1" "$(gbps "$n" "$c" "$infer")" "$(gbps "$n" "$c" "$copy")" \
    "$(ratio "$copy" "$infer")" "$(ratio "$copy_1" "$infer_1")"
done
stream=$(printf '%s\n' "${large[@]}" | median)
echo "STREAM-like copy of 2 x 256 MiB arrays on $threads thread(s): $stream GB/s"
echo -n "needle inference GB/s / that copy's:"
for entry in "${infer_gbps[@]}"; do echo -n " ${entry%%:*} $(ratio "${entry#*:}" "$stream")"; done
echo
