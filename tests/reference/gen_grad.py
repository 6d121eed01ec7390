#!/usr/bin/env python3
"""Reference gradients for tests/unit/autodiff/ModelGradientTest.cpp.

Run with Debian's numpy and PyTorch: /usr/bin/python3 tests/reference/gen_grad.py
It rewrites tests/reference/grad/*.npy: the loss of examples/mlp.mlir
(Linear(784, 100), BatchNorm1d(100) in training mode, ReLU, Linear(100, 10),
SoftmaxLoss) and its gradient with respect to every parameter, computed by
PyTorch's autograd in float64, independently of the compiler. The parameters
are those needle creates after np.random.seed(0) (the runtime's --seed=0):
Linear weights and biases by kaiming_uniform in construction order,
BatchNorm1d weight 1 and bias 0.

  mlp_x.npy (8 x 784, f32), mlp_y.npy (8, i32)     the batch
  mlp_loss.npy                                      the loss (f32, rank 0)
  mlp_grad_<variable>.npy                           d loss / d variable (f32)
"""
import os

import numpy as np
import torch

from gen_e2e import linear  # needle's Linear init from the seeded numpy stream

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "grad")


def main():
    os.makedirs(HERE, exist_ok=True)
    np.random.seed(0)
    w0, b0 = linear(784, 100)
    w3, b3 = linear(100, 10)
    params = {
        "0.weight": w0, "0.bias": b0,
        "1.weight": np.ones(100, np.float32), "1.bias": np.zeros(100, np.float32),
        "3.weight": w3, "3.bias": b3,
    }
    rng = np.random.RandomState(11)
    x = rng.standard_normal((8, 784)).astype(np.float32)
    y = rng.randint(0, 10, size=8).astype(np.int32)

    t = {k: torch.tensor(v.astype(np.float64), requires_grad=True) for k, v in params.items()}
    h = torch.tensor(x.astype(np.float64)) @ t["0.weight"] + t["0.bias"]
    h = torch.nn.functional.batch_norm(h, torch.zeros(100, dtype=torch.float64),
                                       torch.ones(100, dtype=torch.float64),
                                       t["1.weight"], t["1.bias"], training=True,
                                       momentum=0.1, eps=1e-5)
    logits = torch.relu(h) @ t["3.weight"] + t["3.bias"]
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(y, dtype=torch.int64))
    loss.backward()

    np.save(os.path.join(HERE, "mlp_x.npy"), x)
    np.save(os.path.join(HERE, "mlp_y.npy"), y)
    np.save(os.path.join(HERE, "mlp_loss.npy"), np.array(loss.item(), dtype=np.float32))
    for name, tensor in t.items():
        np.save(os.path.join(HERE, f"mlp_grad_{name}.npy"),
                tensor.grad.numpy().astype(np.float32))


if __name__ == "__main__":
    main()
