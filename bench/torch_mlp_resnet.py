#!/usr/bin/env python3
"""PyTorch eager reference for examples/mlp_resnet.mlir (needle's MLPResNet).

  torch_mlp_resnet.py infer BATCH [RUNS]   -> prints "<ms median> <runs>"

Run with Debian's python3-torch, one thread (OPENBLAS_NUM_THREADS=1 and
torch.set_num_threads(1) are set here): the fastest configuration on these
machines and the same thread count as needle's code.
"""
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from timing import median_ms  # noqa: E402


def residual_block(dim, hidden, drop):
    class Residual(nn.Module):
        def __init__(self, fn):
            super().__init__()
            self.fn = fn

        def forward(self, x):
            return self.fn(x) + x

    return nn.Sequential(Residual(nn.Sequential(
        nn.Linear(dim, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Dropout(drop),
        nn.Linear(hidden, dim), nn.BatchNorm1d(dim))), nn.ReLU())


def mlp_resnet(dim=784, hidden=100, blocks=3, classes=10, drop=0.1):
    return nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(),
                         *[residual_block(hidden, hidden // 2, drop) for _ in range(blocks)],
                         nn.Linear(hidden, classes))


def main():
    mode, batch = sys.argv[1], int(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    torch.set_num_threads(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    if mode != "infer":
        sys.exit(f"unknown mode {mode}")
    model = mlp_resnet().eval()
    x = torch.randn(batch, 784)
    with torch.no_grad():
        print(f"{median_ms(runs, lambda: model(x)):.4f} {runs}")


if __name__ == "__main__":
    main()
