#!/usr/bin/env python3
"""Reference losses for the training tests (tests/unit/training).

Run with Debian's numpy and python3-torch (scripts/setup --with-reference):
  /usr/bin/python3 tests/reference/gen_train.py
It rewrites tests/reference/train/. Everything is computed here in float32
PyTorch, independently of the compiler and runtime: the forward passes of
the models written out by hand with needle's semantics (Linear: x @ W + b;
BatchNorm1d in training form with batch mean and biased variance, running
statistics (1 - 0.1) * old + 0.1 * stat; SoftmaxLoss: mean of logsumexp(z) -
z[y]), gradients by torch.autograd, and needle's SGD and Adam written out by
hand (torch.optim's SGD momentum is not needle's):

  SGD:  g = grad + wd * p; u = momentum * u + (1 - momentum) * g; p = p - lr * u
  Adam: t += 1; g = grad + wd * p; m = b1 * m + (1 - b1) * g;
        v = b2 * v + (1 - b2) * g ** 2;
        p = p - lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)) ** 0.5 + eps)

Initial variables are needle's after np.random.seed(SEED): every variable of
the model file in declaration order (kaiming_uniform from one numpy stream,
ones, zeros), which the runtime reproduces from --seed.

  x.npy, y.npy                  BATCHES batches of BATCH inputs (f32) and labels (i32)
  mlp_resnet_nodropout.mlir     examples/mlp_resnet.mlir with each dropout replaced
                                by the identity (mul_scalar 1.0)
  mlp_resnet_dropout_adam       examples/mlp_resnet.mlir itself: its dropout masks
                                are gen_dropout.py's Philox4x32-10 (seed SEED, step
                                s at train_step s, stream k for the k-th dropout)
  <config>.npy                  for each CONFIGS entry: the loss of each train_step
                                (batch s % BATCHES at step s), then eval_loss
                                (inference form) on batch 0 after the last step
  mlp_sgd_schedule_lr.npy       the learning rate set before each step of
                                mlp_sgd_schedule
"""
import math
import os
import re

import numpy as np
import torch

from gen_dropout import mask as dropout_mask

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "train")
ROOT = os.path.dirname(os.path.dirname(HERE))

SEED = 0
BATCH = 16
BATCHES = 3
STEPS = 6
SCHEDULE = [0.1, 0.05, 0.0, 0.025, 0.2, 0.0125]

# name: (model file, optimizer, hyperparameters). tests/unit/training passes
# the same values to needlec.
CONFIGS = {
    "mlp_sgd": ("mlp", "sgd", dict(lr=0.05, momentum=0.9, weight_decay=1e-3)),
    "mlp_adam": ("mlp", "adam", dict(lr=0.001, weight_decay=1e-3)),
    "mlp_sgd_schedule": ("mlp", "sgd", dict(lr=SCHEDULE[0], momentum=0.5, weight_decay=1e-3)),
    "mlp_resnet_sgd": ("mlp_resnet", "sgd", dict(lr=0.05, momentum=0.9, weight_decay=1e-3)),
    "mlp_resnet_adam": ("mlp_resnet", "adam",
                        dict(lr=0.001, beta1=0.85, beta2=0.995, eps=1e-7, weight_decay=1e-3)),
    "mlp_resnet_dropout_adam": ("mlp_resnet_dropout", "adam", dict(lr=0.001, weight_decay=1e-3)),
}

VARIABLE = re.compile(
    r'needle\.variable (parameter|buffer) @"?([\w.]+)"? : tensor<([0-9x]+)xf32> = '
    r"#needle\.(\w+)(?:<fan_in = (\d+), fan_out = \d+, gain = ([0-9.e+-]+)>)?")


def model_text(model):
    if model in ("mlp", "mlp_resnet_dropout"):
        name = "mlp.mlir" if model == "mlp" else "mlp_resnet.mlir"
        with open(os.path.join(ROOT, "examples", name)) as f:
            return f.read()
    with open(os.path.join(OUT, "mlp_resnet_nodropout.mlir")) as f:
        return f.read()


def initial_variables(text):
    """needle's initial values, in declaration order, after np.random.seed(SEED)."""
    np.random.seed(SEED)
    params, buffers = {}, {}
    for kind, name, shape, init, fan_in, gain in VARIABLE.findall(text):
        shape = tuple(int(d) for d in shape.split("x"))
        if init == "kaiming_uniform":
            bound = float(gain) * math.sqrt(3.0 / int(fan_in))
            value = np.random.rand(*shape) * (2 * bound) - bound
        elif init == "ones":
            value = np.ones(shape)
        elif init == "zeros":
            value = np.zeros(shape)
        else:
            raise ValueError(f"initializer {init} of {name}")
        (params if kind == "parameter" else buffers)[name] = torch.tensor(
            value.astype(np.float32))
    return params, buffers


# ---- needle's modules, float32 ----------------------------------------------

def linear(h, p, prefix):
    return h @ p[prefix + ".weight"] + p[prefix + ".bias"]


def batch_norm(h, p, b, prefix, train, eps=1e-5, momentum=0.1):
    w, bias = p[prefix + ".weight"], p[prefix + ".bias"]
    rm, rv = prefix + ".running_mean", prefix + ".running_var"
    if not train:
        return w * (h - b[rm]) / (b[rv] + eps) ** 0.5 + bias
    n = h.shape[0]
    mean = h.sum(0) / n
    var = ((h - mean) ** 2).sum(0) / n
    with torch.no_grad():
        b[rm] = (1 - momentum) * b[rm] + momentum * mean
        b[rv] = (1 - momentum) * b[rv] + momentum * var
    return w * (h - mean) / (var + eps) ** 0.5 + bias


def softmax_loss(z, y):
    picked = z[torch.arange(z.shape[0]), y.long()]
    return (torch.logsumexp(z, 1) - picked).sum() / z.shape[0]


def mlp(x, p, b, train, step):
    h = torch.relu(batch_norm(linear(x, p, "0"), p, b, "1", train))
    return linear(h, p, "3")


def mlp_resnet(x, p, b, train, step, drop=None):
    h = torch.relu(linear(x, p, "0"))
    for stream, block in enumerate(("2.0.fn", "3.0.fn", "4.0.fn")):
        t = torch.relu(batch_norm(linear(h, p, block + ".0"), p, b, block + ".1", train))
        if drop is not None and train:
            t = t * torch.from_numpy(dropout_mask(tuple(t.shape), drop, SEED, step, stream))
        t = batch_norm(linear(t, p, block + ".4"), p, b, block + ".5", train)
        h = torch.relu(t + h)
    return linear(h, p, "5")


FORWARD = {
    "mlp": mlp,
    "mlp_resnet": mlp_resnet,
    "mlp_resnet_dropout": lambda *args: mlp_resnet(*args, drop=0.1),
}


# ---- needle's optimizers, by hand --------------------------------------------

class SGD:
    def __init__(self, lr, momentum=0.0, weight_decay=0.0):
        self.lr, self.momentum, self.wd = lr, momentum, weight_decay
        self.u = {}

    def step(self, params, grads):
        for name, grad in grads.items():
            p = params[name]
            g = grad + self.wd * p
            self.u[name] = self.momentum * self.u.get(name, 0.0) + (1 - self.momentum) * g
            params[name] = p - self.lr * self.u[name]


class Adam:
    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        self.lr, self.b1, self.b2, self.eps, self.wd = lr, beta1, beta2, eps, weight_decay
        self.t, self.m, self.v = 0, {}, {}

    def step(self, params, grads):
        self.t += 1
        for name, grad in grads.items():
            p = params[name]
            g = grad + self.wd * p
            self.m[name] = self.b1 * self.m.get(name, 0.0) + (1 - self.b1) * g
            self.v[name] = self.b2 * self.v.get(name, 0.0) + (1 - self.b2) * g ** 2
            m_hat = self.m[name] / (1 - self.b1 ** self.t)
            v_hat = self.v[name] / (1 - self.b2 ** self.t)
            params[name] = p - self.lr * m_hat / (v_hat ** 0.5 + self.eps)


def train(config, xs, ys):
    model, optimizer, hyper = CONFIGS[config]
    params, buffers = initial_variables(model_text(model))
    opt = (SGD if optimizer == "sgd" else Adam)(**hyper)
    forward = FORWARD[model]
    losses = []
    for step in range(STEPS):
        if config == "mlp_sgd_schedule":
            opt.lr = SCHEDULE[step]
        x, y = xs[step % BATCHES], ys[step % BATCHES]
        for p in params.values():
            p.requires_grad_(True)
        loss = softmax_loss(forward(x, params, buffers, True, step), y)
        grads = torch.autograd.grad(loss, list(params.values()))
        losses.append(loss.item())
        with torch.no_grad():
            params = {k: v.detach() for k, v in params.items()}
            opt.step(params, dict(zip(params, grads)))
    with torch.no_grad():
        losses.append(softmax_loss(forward(xs[0], params, buffers, False, STEPS), ys[0]).item())
    return np.array(losses, dtype=np.float32)


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(ROOT, "examples", "mlp_resnet.mlir")) as f:
        resnet = f.read()
    nodropout = re.sub(r"needle\.dropout (%\w+), [0-9.e+-]+ :", r"needle.mul_scalar \1, 1.0 :",
                       resnet)
    nodropout = nodropout.replace(
        "// needle's MLPResNet(", "// Generated by tests/reference/gen_train.py: dropout replaced by the\n"
        "// identity (mul_scalar 1.0).\n// needle's MLPResNet(", 1)
    assert "needle.dropout" not in nodropout
    with open(os.path.join(OUT, "mlp_resnet_nodropout.mlir"), "w") as f:
        f.write(nodropout)

    rng = np.random.RandomState(7)
    x = rng.standard_normal((BATCHES, BATCH, 784)).astype(np.float32)
    y = rng.randint(0, 10, (BATCHES, BATCH)).astype(np.int32)
    np.save(os.path.join(OUT, "x.npy"), x)
    np.save(os.path.join(OUT, "y.npy"), y)
    np.save(os.path.join(OUT, "mlp_sgd_schedule_lr.npy"), np.array(SCHEDULE, np.float32))
    xs, ys = torch.from_numpy(x), torch.from_numpy(y)
    for config in CONFIGS:
        losses = train(config, xs, ys)
        np.save(os.path.join(OUT, config + ".npy"), losses)
        print(config, " ".join(f"{v:.6f}" for v in losses))


if __name__ == "__main__":
    main()
