#!/usr/bin/env python3
"""PyTorch eager training step of needle's MLPResNet, the reference for
bench/run_train_step.sh.

  torch_train_step.py BATCH THREADS [RUNS] [DROP]  -> prints "<ms median> <runs>"

One step is what needle's compiled train_step does: forward in training form
(BatchNorm1d batch statistics, running statistics updated), SoftmaxLoss
(cross-entropy), backward, and an Adam update of every parameter with weight
decay (torch.optim.Adam; its formulas differ from needle's only in where the
weight decay enters, not in cost). OPENBLAS_NUM_THREADS is 1 (PyTorch's
fastest configuration here: OpenBLAS threads spinning beside torch's on two
cores are 2-5x slower), OMP_NUM_THREADS and torch.set_num_threads are
THREADS; DROP (default 0, as the compiled model) is the Dropout probability.
"""
import os
import sys

THREADS = sys.argv[2] if len(sys.argv) > 2 else "1"
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = THREADS
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_mlp_resnet import mlp_resnet  # noqa: E402
from timing import median_ms  # noqa: E402


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    batch, threads = int(sys.argv[1]), int(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    drop = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = mlp_resnet(drop=drop).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(batch, 784)
    y = torch.randint(0, 10, (batch,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        loss.item()

    print(f"{median_ms(runs, step):.4f} {runs}")


if __name__ == "__main__":
    main()
