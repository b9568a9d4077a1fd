#!/usr/bin/python3
"""Summarises the raw lines of bench/run.sh (`<side> <workload> <value>`): per workload the median
samples/s of Tapgrad and of PyTorch at 1 and 2 threads, the ratio of Tapgrad's median to PyTorch's
better median, and issue 17's target for it (2.0x with the Vector API kernels, 1.0x with the portable
ones; the file's `mode` line says which ran); then GEMM n = 512 against OpenBLAS, each as a share of
the machine's fp32 FMA peak. Lines of other shapes are ignored.

    /usr/bin/python3 bench/summarize.py [--peak GFLOPS_PER_CORE] bench/target/results-<date>.txt

The peak defaults to 166.4 GFLOP/s per core (this VM's AVX-512 Xeon: 2 FMA units x 16 lanes x 2 flops
x 2.6 GHz, as KernelBench --peak); the GEMM runs on 2 threads, so its share is of 2 cores' peak.
"""
import argparse
import re
import statistics
from collections import defaultdict

TARGET = {"vector": 2.0, "portable": 1.0}

p = argparse.ArgumentParser()
p.add_argument("--peak", type=float, default=166.4)
p.add_argument("results")
args = p.parse_args()

vals = defaultdict(list)
mode, info = "vector", []
for line in open(args.results):
    line = line.strip()
    m = re.fullmatch(r"(tapgrad|torch1|torch2|gemm-tapgrad|gemm-openblas) (\S+) ([0-9.]+)", line)
    if m:
        vals[(m[1], m[2])].append(float(m[3]))
    elif line.startswith("mode "):
        mode = line.split()[1]
    elif line.startswith(("command: ", "== peer: ", "== GEMM kernel: ", "CHECK ")):
        info.append(line)
med = {k: statistics.median(v) for k, v in vals.items()}
names = list(dict.fromkeys(n for (s, n) in vals if s == "tapgrad"))
runs = len(vals[("tapgrad", names[0])])
target = TARGET[mode]
print("| workload | Tapgrad | PyTorch 1 thread | PyTorch 2 threads | Tapgrad / PyTorch | target |")
print("|---|---:|---:|---:|---:|---:|")
below = []
for n in names:
    t = med[("tapgrad", n)]
    p1, p2 = med.get(("torch1", n), float("nan")), med.get(("torch2", n), float("nan"))
    ratio = t / max(p1, p2)
    if not ratio >= target:
        below.append(n)
    mark = "" if ratio >= target else " (below)"
    print(f"| {n} | {t:.0f} | {p1:.0f} | {p2:.0f} | {ratio:.2f}x | {target:.1f}x{mark} |")
print(f"\nsamples/s, median of {runs} runs; the ratio is against PyTorch's better thread count; {mode} kernels")
print("every workload at or above its target" if not below else f"below target: {', '.join(below)}")
g, o = med.get(("gemm-tapgrad", "512x512x512:NN")), med.get(("gemm-openblas", "512"))
if g and o:
    peak = 2 * args.peak
    print(f"GEMM 512x512x512 (2 threads): Tapgrad {g:.1f} GFLOP/s ({100 * g / peak:.0f}% of 2 cores' FMA peak "
          f"{peak:.0f}), OpenBLAS {o:.1f} GFLOP/s ({100 * o / peak:.0f}%); Tapgrad at {100 * g / o:.0f}% of OpenBLAS")
for line in info:
    print(line)
