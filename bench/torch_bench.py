#!/usr/bin/python3
"""PyTorch side of the issue-5 harness: the workloads of StepBench.java with the same shapes, losses
and optimizer, timed the same way (warm-up, then whole epochs until enough time has passed).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_bench.py --threads 1 [--warmup S] [--measure S] [workload ...]
    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/torch_bench.py --gemm 512   # OpenBLAS sgemm GFLOP/s

Prints one `RESULT <workload> <samples/s>` line per workload (or `GEMM <n> <GFLOP/s>`).

The losses are Tapgrad's (Keras's) formulas written in torch, as in samples/src/test/python:
crossentropy normalises the softmax rows, clips to [1e-7, 1 - 1e-7] and averages -sum(y log p);
binary crossentropy is nn.BCELoss (it floors each log at -100 where Keras clips p to
[1e-7, 1 - 1e-7]: the same work, values equal away from saturation);
the KL divergence clips both sides to [1e-7, 1] and averages sum(t log(t / p)) over rows;
l2Normalize floors the squared norm at 1e-12. Adam has Keras's epsilon 1e-7 (PyTorch adds it
after the bias correction; the cost is the same). Data layout follows each framework's own
convention (NCHW images for torch), which is what a user of either would write.
"""

import argparse
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

EPS = 1e-7


def crossentropy(y, p):
    p = p / p.sum(dim=-1, keepdim=True)
    c = torch.clamp(p, EPS, 1 - EPS)
    return -(y * torch.log(c)).sum(dim=-1).mean()


def kl_divergence(t, p):
    t = torch.clamp(t, EPS, 1)
    p = torch.clamp(p, EPS, 1)
    return (t * torch.log(t / p)).sum(dim=-1).mean()


def l2_normalize(x, axis):
    return x * torch.rsqrt(torch.clamp((x * x).sum(dim=axis, keepdim=True), min=1e-12))


class Cnn(nn.Module):
    """(a) 28x28x1 -> Conv2D(32, 3x3, relu) -> Flatten -> Dense(10, softmax); CE + 0.01 mean|conv|."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.out = nn.Linear(26 * 26 * 32, 10)

    def loss(self, x, y):
        conv = F.relu(self.conv1(x))
        p = torch.softmax(self.out(conv.flatten(1)), dim=-1)
        return crossentropy(y, p) + 0.01 * conv.abs().mean()


class Lstm(nn.Module):
    """(b) (100, 1) -> LSTM(64, sequences) -> Dense(1) per step; MSE + KL(target || softmax(h_t))."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, 64, batch_first=True)
        self.out = nn.Linear(64, 1)
        g = torch.Generator().manual_seed(7)
        self.register_buffer("target", torch.softmax(torch.randn(64, generator=g), dim=-1))

    def loss(self, x, y):
        h, _ = self.lstm(x)
        pred = self.out(h)
        return F.mse_loss(pred, y) + kl_divergence(self.target, torch.softmax(h, dim=-1))


class DiverseMlp(nn.Module):
    """(c) 10 -> Dense(64, relu) -> Dense(1); MSE + 0.1 mean(unit @ unit.T)."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(10, 64)
        self.out = nn.Linear(64, 1)

    def loss(self, x, y):
        h = F.relu(self.hidden(x))
        unit = l2_normalize(h, 1)
        return F.mse_loss(self.out(h), y) + 0.1 * (unit @ unit.t()).mean()


class Mlp(nn.Module):
    """(d) 784 -> Dense(512, relu) -> Dense(512, relu) -> Dense(10, softmax); CE."""

    def __init__(self):
        super().__init__()
        self.hidden1 = nn.Linear(784, 512)
        self.hidden2 = nn.Linear(512, 512)
        self.out = nn.Linear(512, 10)

    def loss(self, x, y):
        h = F.relu(self.hidden1(x))
        h = F.relu(self.hidden2(h))
        return crossentropy(y, torch.softmax(self.out(h), dim=-1))


class ConvNet(nn.Module):
    """convnet128: Keras's mnist_convnet (the samples' convnet): 28x28x1 -> Conv2D(32, 3x3, relu) ->
    MaxPool2D(2) -> Conv2D(64, 3x3, relu) -> MaxPool2D(2) -> Flatten -> Dropout(0.5) ->
    Dense(10, softmax); CE. Trained in train mode, so the dropout is active, as in Tapgrad's fit."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.drop = nn.Dropout(0.5)
        self.out = nn.Linear(5 * 5 * 64, 10)

    def loss(self, x, y):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        p = torch.softmax(self.out(self.drop(h.flatten(1))), dim=-1)
        return crossentropy(y, p)


# The text-gru sample's sizes (TextGruSample.STEPS and VOCABULARY).
GRU_STEPS = 20
GRU_VOCABULARY = 12


class Gru(nn.Module):
    """gru32: the samples' text-gru: 20 token ids (vocabulary 12) -> Embedding(16) -> GRU(32, last
    state) -> Dense(1, sigmoid); binary crossentropy. torch's GRU is Keras's reset_after=True form."""

    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(GRU_VOCABULARY, 16)
        self.gru = nn.GRU(16, 32, batch_first=True)
        self.out = nn.Linear(32, 1)
        self.bce = nn.BCELoss()

    def loss(self, x, y):
        _, h = self.gru(self.tokens(x))
        return self.bce(torch.sigmoid(self.out(h[-1])), y)


def one_hot(n, classes):
    return F.one_hot(torch.randint(0, classes, (n,)), classes).float()


def workloads():
    torch.manual_seed(42)
    images = (torch.rand(1024, 1, 28, 28), one_hot(1024, 10))
    return {
        "cnn32": (Cnn, 32, images),
        "cnn128": (Cnn, 128, images),
        "lstm32": (Lstm, 32, (torch.randn(512, 100, 1), torch.randn(512, 100, 1))),
        "diverse32": (DiverseMlp, 32, (torch.randn(4096, 10), torch.randn(4096, 1))),
        "mlp128": (Mlp, 128, (torch.rand(2048, 784), one_hot(2048, 10))),
        "convnet128": (ConvNet, 128, images),
        "gru32": (Gru, 32, (torch.randint(0, GRU_VOCABULARY, (2048, GRU_STEPS)),
                            torch.randint(0, 2, (2048, 1)).float())),
    }


def epoch(model, opt, x, y, batch):
    """One epoch as Tapgrad's Trainer runs it: shuffle, gather each batch, step."""
    n = x.shape[0]
    order = torch.randperm(n)
    for start in range(0, n, batch):
        idx = order[start:start + batch]
        xb, yb = x[idx], y[idx]
        opt.zero_grad(set_to_none=True)
        loss = model.loss(xb, yb)
        loss.backward()
        opt.step()


def run(kind, batch, data, warmup, measure):
    x, y = data
    model = kind()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        epoch(model, opt, x, y, batch)
    samples = 0
    start = time.perf_counter()
    while True:
        epoch(model, opt, x, y, batch)
        samples += x.shape[0]
        elapsed = time.perf_counter() - start
        if elapsed >= measure:
            return samples / elapsed


def gemm(n, seconds=3.0):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    c = torch.empty(n, n)
    for _ in range(20):
        torch.mm(a, b, out=c)
    reps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        torch.mm(a, b, out=c)
        reps += 1
    return 2.0 * n ** 3 * reps / (time.perf_counter() - start) / 1e9


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=float, default=4)
    p.add_argument("--measure", type=float, default=6)
    p.add_argument("--gemm", type=int, help="only time torch.mm (OpenBLAS sgemm) at n x n x n")
    p.add_argument("names", nargs="*")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.gemm:
        print(f"GEMM {args.gemm} {gemm(args.gemm):.1f}", flush=True)
        return
    all_ = workloads()
    for name in args.names or list(all_):
        if name not in all_:
            sys.exit(f"unknown workload {name}; known: {list(all_)}")
        kind, batch, data = all_[name]
        print(f"RESULT {name} {run(kind, batch, data, args.warmup, args.measure):.1f}", flush=True)


if __name__ == "__main__":
    main()
