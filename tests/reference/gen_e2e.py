#!/usr/bin/env python3
"""Reference outputs for the end-to-end tests (tests/unit/e2e).

Run with Debian's numpy: /usr/bin/python3 tests/reference/gen_e2e.py
It rewrites tests/reference/e2e/*.npy. Everything is computed here with numpy
from needle's formulas, independently of the compiler and runtime:

  mlp_resnet_x.npy        a batch of 5 inputs (784 features)
  mlp_resnet_infer.npy    examples/mlp_resnet.mlir's `infer` on it, with the
                          variables needle creates after np.random.seed(0):
                          Linear weights and biases by kaiming_uniform in
                          construction order, BatchNorm1d weight 1, bias 0,
                          running mean 0, running var 1; Dropout is the identity.
"""
import math
import os

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "e2e")


def kaiming_uniform(fan_in, shape):
    bound = math.sqrt(2.0) * math.sqrt(3.0 / fan_in)
    return np.random.rand(*shape) * (2 * bound) - bound


def linear(i, o):
    w = kaiming_uniform(i, (i, o)).astype(np.float32)
    b = kaiming_uniform(o, (o, 1)).astype(np.float32).reshape(1, o)
    return w, b


def mlp_resnet_infer(x):
    np.random.seed(0)
    layers = [linear(784, 100)]
    for _ in range(3):
        layers.append((linear(100, 50), linear(50, 100)))
    head = linear(100, 10)

    def bn_infer(h):  # running mean 0, running var 1, weight 1, bias 0
        return (h - 0.0) / np.sqrt(1.0 + 1e-5)

    x = x.astype(np.float64)
    w, b = layers[0]
    h = np.maximum(x @ w + b, 0)
    for (w1, b1), (w2, b2) in layers[1:]:
        t = np.maximum(bn_infer(h @ w1 + b1), 0)
        t = bn_infer(t @ w2 + b2)
        h = np.maximum(t + h, 0)
    w, b = head
    return h @ w + b


def main():
    os.makedirs(HERE, exist_ok=True)
    x = np.random.RandomState(2024).standard_normal((5, 784)).astype(np.float32)
    np.save(os.path.join(HERE, "mlp_resnet_x.npy"), x)
    np.save(os.path.join(HERE, "mlp_resnet_infer.npy"),
            mlp_resnet_infer(x).astype(np.float32))


if __name__ == "__main__":
    main()
