#!/usr/bin/env python3
"""Reference values for the BatchNorm1d end-to-end tests (tests/unit/e2e/BatchNormTest.cpp).

Run with Debian's numpy (and PyTorch for the cross-check):
    /usr/bin/python3 tests/reference/gen_batchnorm.py
It rewrites tests/reference/batchnorm/*.npy. Everything is computed here in
float64 with numpy from needle's formulas, independently of the compiler and
runtime (x is float32, as the tests feed it):

  y = w * (x - mean) / sqrt(var + eps) + b,  mean, var (biased) over the batch;
  running <- (1 - m) * running + m * stat, the var statistic biased, or
  var * N / (N - 1) with unbiased_running_var; inference uses the running stats.

A BatchNorm1d(19) (19 features: a vectorised body plus a remainder) with
weight w, bias b takes 10 training steps on batches of varied sizes and
distributions, then one inference call:

  weight.npy, bias.npy        (19,) f32
  batch_sizes.npy             (10,) i64: 4 1 129 7 300 2 128 33 1030 16
                              (1 gives var 0; the lowering sweeps 4 parts of
                              N // 4 rows in blocks of 128 steps: 1030 spans
                              3 blocks, and 1, 2, 7, 33, 129, 1030 leave rows
                              after the parts)
  train_x.npy, train_y.npy    (sum of batch sizes, 19) f32: the steps' inputs
                              and outputs, stacked in step order
  running_mean.npy, running_var.npy         after the 10 steps (biased update)
  eval_x.npy, eval_y.npy      (50, 19): inference after the 10 steps
  unbiased_running_mean.npy, unbiased_running_var.npy
                              after the same steps without the batch of 1 (with
                              N = 1, var * N / (N - 1) is 0 / 0) and
                              unbiased_running_var; checked against PyTorch.
"""
import os

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "batchnorm")
EPS, MOMENTUM, C = 1e-5, 0.1, 19
BATCH_SIZES = [4, 1, 129, 7, 300, 2, 128, 33, 1030, 16]


def train_step(x, w, b, running_mean, running_var, unbiased):
    x = x.astype(np.float64)
    n = x.shape[0]
    mean = x.mean(axis=0)
    var = ((x - mean) ** 2).mean(axis=0)
    y = w * (x - mean) / np.sqrt(var + EPS) + b
    stat = var * n / (n - 1) if unbiased else var
    running_mean = (1 - MOMENTUM) * running_mean + MOMENTUM * mean
    running_var = (1 - MOMENTUM) * running_var + MOMENTUM * stat
    return y, running_mean, running_var


def infer(x, w, b, running_mean, running_var):
    return w * (x.astype(np.float64) - running_mean) / np.sqrt(running_var + EPS) + b


def check_against_torch(batches, w, b, mean, var):
    try:
        import torch
    except ImportError:
        print("PyTorch not found: unbiased reference not cross-checked")
        return
    rm, rv = torch.zeros(C, dtype=torch.float64), torch.ones(C, dtype=torch.float64)
    for x in batches:
        torch.nn.functional.batch_norm(
            torch.from_numpy(x.astype(np.float64)), rm, rv,
            torch.from_numpy(w.astype(np.float64)), torch.from_numpy(b.astype(np.float64)),
            training=True, momentum=MOMENTUM, eps=EPS)
    assert np.allclose(rm.numpy(), mean, rtol=1e-12, atol=1e-12)
    assert np.allclose(rv.numpy(), var, rtol=1e-12, atol=1e-12)


def main():
    rng = np.random.default_rng(20240605)
    w = rng.uniform(0.5, 2.0, C).astype(np.float32)
    b = rng.uniform(-1.0, 1.0, C).astype(np.float32)
    batches = []
    for step, n in enumerate(BATCH_SIZES):
        centre = rng.uniform(-3.0, 3.0, C) * (step + 1)
        spread = rng.uniform(0.1, 4.0, C)
        batches.append((centre + spread * rng.standard_normal((n, C))).astype(np.float32))

    mean, var = np.zeros(C), np.ones(C)
    ys = []
    for x in batches:
        y, mean, var = train_step(x, w, b, mean, var, unbiased=False)
        ys.append(y)
    eval_x = (rng.uniform(-5.0, 5.0, C) + 3.0 * rng.standard_normal((50, C))).astype(np.float32)
    eval_y = infer(eval_x, w, b, mean, var)

    umean, uvar = np.zeros(C), np.ones(C)
    with_spread = [x for x in batches if x.shape[0] > 1]
    for x in with_spread:
        _, umean, uvar = train_step(x, w, b, umean, uvar, unbiased=True)
    check_against_torch(with_spread, w, b, umean, uvar)

    os.makedirs(HERE, exist_ok=True)
    f32 = lambda a: np.ascontiguousarray(a, dtype=np.float32)
    outputs = {
        "weight": f32(w), "bias": f32(b),
        "batch_sizes": np.array(BATCH_SIZES, dtype=np.int64),
        "train_x": f32(np.concatenate(batches)), "train_y": f32(np.concatenate(ys)),
        "running_mean": f32(mean), "running_var": f32(var),
        "eval_x": f32(eval_x), "eval_y": f32(eval_y),
        "unbiased_running_mean": f32(umean), "unbiased_running_var": f32(uvar),
    }
    for name, value in outputs.items():
        np.save(os.path.join(HERE, name + ".npy"), value)


if __name__ == "__main__":
    main()
