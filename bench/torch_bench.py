#!/usr/bin/python3
"""PyTorch side of the issue-5 harness: the workloads of StepBench.java with the same shapes, losses
and optimizer, timed the same way (warm-up, then whole epochs until enough time has passed).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_bench.py --threads 1 [--warmup S] [--measure S] [workload ...]
    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/torch_bench.py --gemm 512   # OpenBLAS sgemm GFLOP/s
    /usr/bin/python3 bench/torch_bench.py --info    # the OpenBLAS torch loaded, and its core type
    /usr/bin/python3 bench/torch_bench.py --check   # float32 results against float64 references

Prints one `RESULT <workload> <samples/s>` line per workload (or `GEMM <n> <GFLOP/s>`).

bench/run.sh runs this without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (some machines set them, forcing
an older OpenBLAS kernel, e.g. Haswell's on an AVX-512 CPU); --info shows the core type OpenBLAS
chose, --check that its products (GEMM, and the convolution and GRU torch runs on top of it) still
match a float64 reference within the textbook bound of a float32 dot product.

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
    """mlp128: 784 -> Dense(512, relu) -> Dense(512, relu) -> Dense(10, softmax); CE + 0.001 mean(h2^2)."""

    def __init__(self):
        super().__init__()
        self.hidden1 = nn.Linear(784, 512)
        self.hidden2 = nn.Linear(512, 512)
        self.out = nn.Linear(512, 10)

    def loss(self, x, y):
        h = F.relu(self.hidden1(x))
        h = F.relu(self.hidden2(h))
        return crossentropy(y, torch.softmax(self.out(h), dim=-1)) + 0.001 * (h * h).mean()


class ConvNet(nn.Module):
    """convnet128: Keras's mnist_convnet (the samples' convnet): 28x28x1 -> Conv2D(32, 3x3, relu) ->
    MaxPool2D(2) -> Conv2D(64, 3x3, relu) -> MaxPool2D(2) -> Flatten -> Dropout(0.5) ->
    Dense(10, softmax); CE + 0.01 mean|conv2|. Trained in train mode, so the dropout is active, as in Tapgrad's fit."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.drop = nn.Dropout(0.5)
        self.out = nn.Linear(5 * 5 * 64, 10)

    def loss(self, x, y):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        conv2 = F.relu(self.conv2(h))
        h = F.max_pool2d(conv2, 2)
        p = torch.softmax(self.out(self.drop(h.flatten(1))), dim=-1)
        return crossentropy(y, p) + 0.01 * conv2.abs().mean()


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


class TwoConv(nn.Module):
    """twoconv64 (issue 17 (b)): 28x28x1 -> Conv2D(16, 3x3, relu) -> Conv2D(32, 3x3, relu) -> Flatten ->
    Dense(10, softmax); CE + 0.001 mean(conv2^2)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3)
        self.conv2 = nn.Conv2d(16, 32, 3)
        self.out = nn.Linear(24 * 24 * 32, 10)

    def loss(self, x, y):
        conv2 = F.relu(self.conv2(F.relu(self.conv1(x))))
        p = torch.softmax(self.out(conv2.flatten(1)), dim=-1)
        return crossentropy(y, p) + 0.001 * (conv2 * conv2).mean()


class BnConv(nn.Module):
    """bnconv64 (issue 17 (c)): the two-conv CNN with a BatchNorm after each (relu) convolution, with
    Keras's epsilon 1e-3 and momentum 0.99 (torch's momentum is 1 - Keras's); CE + 0.01 mean|bn1|.
    Train mode: batch statistics, moving ones updated."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3)
        self.bn1 = nn.BatchNorm2d(16, eps=1e-3, momentum=0.01)
        self.conv2 = nn.Conv2d(16, 32, 3)
        self.bn2 = nn.BatchNorm2d(32, eps=1e-3, momentum=0.01)
        self.out = nn.Linear(24 * 24 * 32, 10)

    def loss(self, x, y):
        bn1 = self.bn1(F.relu(self.conv1(x)))
        h = self.bn2(F.relu(self.conv2(bn1)))
        p = torch.softmax(self.out(h.flatten(1)), dim=-1)
        return crossentropy(y, p) + 0.01 * bn1.abs().mean()


LONG_GRU_STEPS = 80
LONG_GRU_VOCABULARY = 1000


class LongGru(nn.Module):
    """gru64 (issue 17 (d)): 80 token ids (vocabulary 1000) -> Embedding(32) -> GRU(64, last state) ->
    Dense(1, sigmoid); binary crossentropy + 0.01 mean(h^2) on the GRU's final state."""

    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(LONG_GRU_VOCABULARY, 32)
        self.gru = nn.GRU(32, 64, batch_first=True)
        self.out = nn.Linear(64, 1)
        self.bce = nn.BCELoss()

    def loss(self, x, y):
        _, h = self.gru(self.tokens(x))
        h = h[-1]
        return self.bce(torch.sigmoid(self.out(h)), y) + 0.01 * (h * h).mean()


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
        "twoconv64": (TwoConv, 64, images),
        "bnconv64": (BnConv, 64, images),
        "gru64": (LongGru, 64, (torch.randint(0, LONG_GRU_VOCABULARY, (1024, LONG_GRU_STEPS)),
                                torch.randint(0, 2, (1024, 1)).float())),
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
    return gemm_shape(f"{n}x{n}x{n}:NN", seconds)


def gemm_shape(shape, seconds=3.0):
    """GFLOP/s of torch.mm (OpenBLAS sgemm) on Tapgrad's shape notation `m x n x k : TT` (GemmBenchmark):
    a transposed operand is a transposed view of a row-major tensor, which torch passes to sgemm as a
    transpose flag, as Tapgrad's Gemm.gemm(transA, transB, ...) takes it."""
    dims, trans = shape.split(":")
    m, n, k = (int(d) for d in dims.split("x"))
    a = torch.randn(k, m).t() if trans[0] == "T" else torch.randn(m, k)
    b = torch.randn(n, k).t() if trans[1] == "T" else torch.randn(k, n)
    c = torch.empty(m, n)
    for _ in range(20):
        torch.mm(a, b, out=c)
    reps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        torch.mm(a, b, out=c)
        reps += 1
    return 2.0 * m * n * k * reps / (time.perf_counter() - start) / 1e9


def openblas():
    """(path, core type, config) of the OpenBLAS this process loaded (through torch), or None."""
    import ctypes
    paths = sorted({line.split()[-1] for line in open("/proc/self/maps") if "libopenblas" in line})
    for path in paths:
        lib = ctypes.CDLL(path)
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_get_config.restype = ctypes.c_char_p
        return path, lib.openblas_get_corename().decode(), lib.openblas_get_config().decode()
    return None


def check():
    """float32 results of the BLAS-backed ops against float64: max |error| / (|a|.|b|) per output, which
    a correct float32 dot product of length k keeps below k * 2^-24 (Higham's bound; real errors are
    far smaller). Prints one CHECK line per op and whether it is within the bound."""
    torch.manual_seed(3)
    u = 2.0 ** -24
    ok = True

    def report(name, got, want, scale, k):
        nonlocal ok
        rel = ((got.double() - want).abs() / scale.clamp(min=1e-30)).max().item()
        good = rel <= k * u
        ok &= good
        print(f"CHECK {name} max|err|/(|a||b|) {rel:.2e} bound k*2^-24 {k * u:.2e} {'ok' if good else 'FAILED'}")

    for m, n, k in ((512, 512, 512), (128, 512, 784), (64, 10, 18432)):
        a, b = torch.randn(m, k), torch.randn(k, n)
        report(f"gemm {m}x{n}x{k}", a @ b, a.double() @ b.double(), a.double().abs() @ b.double().abs(), k)
    x, w = torch.randn(64, 16, 26, 26), torch.randn(32, 16, 3, 3)
    report("conv2d 16->32 3x3", F.conv2d(x, w), F.conv2d(x.double(), w.double()),
           F.conv2d(x.double().abs(), w.double().abs()), 16 * 9)
    gru = nn.GRU(32, 64, batch_first=True)
    seq = torch.randn(64, 80, 32)
    want = nn.GRU(32, 64, batch_first=True).double()
    want.load_state_dict(gru.state_dict())
    got, ref = gru(seq)[0].detach(), want(seq.double())[0].detach()
    # The recurrence compounds rounding over 80 steps: compare to the float64 run absolutely.
    err = (got.double() - ref).abs().max().item()
    ok &= err < 1e-4
    print(f"CHECK gru 80 steps max|err| {err:.2e} bound 1e-4 {'ok' if err < 1e-4 else 'FAILED'}")
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=float, default=4)
    p.add_argument("--measure", type=float, default=6)
    p.add_argument("--gemm", type=int, help="only time torch.mm (OpenBLAS sgemm) at n x n x n")
    p.add_argument("--gemm-shapes", nargs="+", metavar="MxNxK:TT",
                   help="only time torch.mm on these shapes (GemmBenchmark's notation), one GEMM line each")
    p.add_argument("--info", action="store_true", help="print the OpenBLAS library and core type, then exit")
    p.add_argument("--check", action="store_true", help="compare float32 results with float64, then exit")
    p.add_argument("names", nargs="*")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.info:
        blas = openblas()
        print(f"torch {torch.__version__}; " + (f"OpenBLAS core {blas[1]} ({blas[2]}; {blas[0]})" if blas
              else "no OpenBLAS loaded: torch runs on another BLAS"), flush=True)
        return
    if args.check:
        sys.exit(0 if check() else 1)
    if args.gemm:
        print(f"GEMM {args.gemm} {gemm(args.gemm):.1f}", flush=True)
        return
    if args.gemm_shapes:
        for shape in args.gemm_shapes:
            print(f"GEMM {shape} {gemm_shape(shape, 1.5):.1f}", flush=True)
        return
    all_ = workloads()
    for name in args.names or list(all_):
        if name not in all_:
            sys.exit(f"unknown workload {name}; known: {list(all_)}")
        kind, batch, data = all_[name]
        print(f"RESULT {name} {run(kind, batch, data, args.warmup, args.measure):.1f}", flush=True)


if __name__ == "__main__":
    main()
