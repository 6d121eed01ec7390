#!/usr/bin/env python3
"""Reference data for the frontend's end-to-end test (tests/unit/frontend).

Run with Debian's numpy: /usr/bin/python3 tests/reference/gen_frontend.py
It rewrites tests/reference/frontend/*.npy. The test traces this model with
the C++ frontend, compiles it with needlec, sets every variable to the values
below and runs `infer`; the expected output is computed here with numpy from
needle's formulas, independently of the frontend, compiler and runtime:

  Sequential(Flatten(), Linear(6, 4), LayerNorm1d(4), Tanh(),
             Residual(Sequential(Linear(4, 4), BatchNorm1d(4), Sigmoid())),
             Dropout(0.3), Identity(), Linear(4, 3, bias=False))

Inference: BatchNorm1d uses its running statistics, Dropout is the identity.

  x.npy                 a batch of 5 inputs of shape (2, 3)
  <variable>.npy        the value of each variable, named as in the model
  infer.npy             the model's inference output on x
"""
import os

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "frontend")
EPS = 1e-5


def main():
    rng = np.random.RandomState(11)
    f32 = np.float32

    def normal(*shape):
        return rng.standard_normal(shape).astype(f32)

    x = normal(5, 2, 3)
    v = {
        "1.weight": normal(6, 4),
        "1.bias": normal(1, 4),
        "2.weight": normal(4),
        "2.bias": normal(4),
        "4.fn.0.weight": normal(4, 4),
        "4.fn.0.bias": normal(1, 4),
        "4.fn.1.weight": normal(4),
        "4.fn.1.bias": normal(4),
        "4.fn.1.running_mean": normal(4),
        "4.fn.1.running_var": rng.uniform(0.5, 2.0, 4).astype(f32),
        "7.weight": normal(4, 3),
    }
    d = {name: value.astype(np.float64) for name, value in v.items()}

    h = x.astype(np.float64).reshape(5, 6)                      # Flatten
    h = h @ d["1.weight"] + d["1.bias"]                         # Linear
    mean = h.sum(axis=1, keepdims=True) / 4                     # LayerNorm1d
    var = ((h - mean) ** 2).sum(axis=1, keepdims=True) / 4
    h = d["2.weight"] * (h - mean) / np.sqrt(var + EPS) + d["2.bias"]
    h = np.tanh(h)                                              # Tanh
    r = h @ d["4.fn.0.weight"] + d["4.fn.0.bias"]               # Residual: Linear
    r = (d["4.fn.1.weight"] * (r - d["4.fn.1.running_mean"])
         / np.sqrt(d["4.fn.1.running_var"] + EPS) + d["4.fn.1.bias"])  # BatchNorm1d
    r = 1 / (1 + np.exp(-r))                                    # Sigmoid
    h = r + h
    out = h @ d["7.weight"]                                     # Linear, no bias

    os.makedirs(HERE, exist_ok=True)
    np.save(os.path.join(HERE, "x.npy"), x)
    for name, value in v.items():
        np.save(os.path.join(HERE, name + ".npy"), value)
    np.save(os.path.join(HERE, "infer.npy"), out.astype(f32))


if __name__ == "__main__":
    main()
