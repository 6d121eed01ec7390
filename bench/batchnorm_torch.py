#!/usr/bin/env python3
"""PyTorch eager reference for bench/batchnorm.sh: BatchNorm1d alone.

  batchnorm_torch.py BATCH FEATURES THREADS [RUNS]
  -> prints "<training forward ms> <inference ms>" (medians of RUNS calls)

torch.nn.functional.batch_norm on a random f32 (BATCH, FEATURES) batch,
training form (batch statistics, running statistics updated in place) and
inference form, under torch.no_grad (needle's entry points build no graph
either), with torch.set_num_threads(THREADS) and OPENBLAS_NUM_THREADS=1.
"""
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from timing import median_ms  # noqa: E402


def main():
    batch, features, threads = (int(a) for a in sys.argv[1:4])
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.randn(batch, features) * 2 + 3
    weight, bias = torch.ones(features), torch.zeros(features)
    running_mean, running_var = torch.zeros(features), torch.ones(features)
    with torch.no_grad():
        train = median_ms(runs, lambda: F.batch_norm(
            x, running_mean, running_var, weight, bias, training=True, momentum=0.1,
            eps=1e-5))
        infer = median_ms(runs, lambda: F.batch_norm(
            x, running_mean, running_var, weight, bias, training=False, eps=1e-5))
    print(f"{train:.5f} {infer:.5f}")


if __name__ == "__main__":
    main()
