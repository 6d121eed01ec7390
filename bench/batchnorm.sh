#!/usr/bin/env bash
# BatchNorm1d alone (examples/batchnorm1d.mlir widened to FEATURES), f32,
# training forward and inference, against PyTorch eager (1 and 2 threads)
# and a STREAM-like copy of the same bytes, all in the same run.
# Needs a build (BUILD_DIR, default build) and scripts/setup --with-reference.
#
# Bytes counted per call: x read once + y written once (2 * N * C * 4), the
# traffic a copy of x makes; GB/s = those bytes / median time. The training
# form reads x twice (statistics, then y), so it cannot exceed 2/3 of the
# copy's rate once x leaves the caches. Columns:
#   x torch1/2      PyTorch (1 or 2 threads) training ms / needle training ms
#                   (above 1: needle is faster)
#   GB/s, torch     needle's and PyTorch's (1 thread) inference GB/s
#   copy, memcpy    a STREAM-like copy loop and glibc's memcpy of x's bytes
#                   in the same process (as cache-resident as x and y)
#   inf/cp          needle inference GB/s / that copy loop's GB/s; the last
#                   line compares with the copy loop on arrays beyond the caches
# Each side runs in REPEATS processes; the medians of their medians are shown.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
repeats=${REPEATS:-5}
runs=${RUNS:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
gbps() { awk -v n="$1" -v c="$2" -v ms="$3" 'BEGIN {printf "%.1f", 2 * n * c * 4 / (ms * 1e6)}'; }
field() { echo -n "$1" | cut -d' ' -f"$2" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

printf "%-11s | %9s %9s %9s %8s %8s | %9s %9s %7s %7s %7s %7s %7s\n" \
  "N x C" "train ms" "torch1" "torch2" "x torch1" "x torch2" \
  "infer ms" "torch1" "GB/s" "torch" "copy" "memcpy" "inf/cp"
large=() infer_gbps=()
for shape in 128x1024 1024x1024 8192x512; do
  n=${shape%x*} c=${shape#*x}
  model="$work/bn$c.mlir" artifact="$work/bn$c.so"
  sed -e "s/x3xf32/x${c}xf32/g" -e "s/<3xf32>/<${c}xf32>/g" \
    -e "s/BatchNorm1d(3)/BatchNorm1d($c)/" examples/batchnorm1d.mlir >"$model"
  "$build/bin/needlec" "$model" -o "$artifact" --entry=forward_train --entry=infer

  # Interleaved, so that both sides see the same load on a shared machine.
  needle="" torch1="" torch2=""
  for _ in $(seq "$repeats"); do
    needle+="$("$build/bin/batchnorm_bench" "$artifact" "$n" "$c" "$runs")"$'\n'
    torch1+="$(/usr/bin/python3 bench/batchnorm_torch.py "$n" "$c" 1 "$runs")"$'\n'
    torch2+="$(/usr/bin/python3 bench/batchnorm_torch.py "$n" "$c" 2 "$runs")"$'\n'
  done
  train=$(field "$needle" 1) infer=$(field "$needle" 2) copy=$(field "$needle" 3)
  memcpy=$(field "$needle" 4)
  large+=($(field "$needle" 5))
  torch_train_1=$(field "$torch1" 1) torch_infer_1=$(field "$torch1" 2)
  torch_train_2=$(field "$torch2" 1)
  infer_gbps+=("$shape:$(gbps "$n" "$c" "$infer")")
  printf "%-11s | %9.4f %9.4f %9.4f %8s %8s | %9.4f %9.4f %7s %7s %7s %7s %7s\n" "$shape" \
    "$train" "$torch_train_1" "$torch_train_2" \
    "$(ratio "$torch_train_1" "$train")" "$(ratio "$torch_train_2" "$train")" \
    "$infer" "$torch_infer_1" "$(gbps "$n" "$c" "$infer")" \
    "$(gbps "$n" "$c" "$torch_infer_1")" "$(gbps "$n" "$c" "$copy")" \
    "$(gbps "$n" "$c" "$memcpy")" "$(ratio "$copy" "$infer")"
done
stream=$(printf '%s\n' "${large[@]}" | median)
echo "STREAM-like copy of 2 x 256 MiB arrays (beyond the caches): $stream GB/s"
echo -n "needle inference GB/s / that copy's:"
for entry in "${infer_gbps[@]}"; do echo -n " ${entry%%:*} $(ratio "${entry#*:}" "$stream")"; done
echo
