#!/usr/bin/python3
"""Summarises the raw lines of bench/run.sh (`<side> <workload> <value>`): per workload the median
samples/s of Tapgrad and of PyTorch at 1 and 2 threads, and the ratio of Tapgrad's median to
PyTorch's better median; then GEMM n = 512 against OpenBLAS. Lines of other shapes are ignored.

    /usr/bin/python3 bench/summarize.py bench/target/results-<date>.txt
"""
import re
import statistics
import sys
from collections import defaultdict

vals = defaultdict(list)
for line in open(sys.argv[1]):
    m = re.fullmatch(r"(tapgrad|torch1|torch2|gemm-tapgrad|gemm-openblas) (\S+) ([0-9.]+)", line.strip())
    if m:
        vals[(m[1], m[2])].append(float(m[3]))
med = {k: statistics.median(v) for k, v in vals.items()}
names = [n for (s, n) in vals if s == "tapgrad"]
runs = len(vals[("tapgrad", names[0])])
print(f"| workload | Tapgrad | PyTorch 1 thread | PyTorch 2 threads | Tapgrad / PyTorch |")
print(f"|---|---:|---:|---:|---:|")
for n in names:
    t, p1, p2 = med[("tapgrad", n)], med[("torch1", n)], med[("torch2", n)]
    print(f"| {n} | {t:.0f} | {p1:.0f} | {p2:.0f} | {t / max(p1, p2):.2f}x |")
print(f"\nsamples/s, median of {runs} runs; the ratio is against PyTorch's better thread count")
g, o = med.get(("gemm-tapgrad", "512x512x512:NN")), med.get(("gemm-openblas", "512"))
if g and o:
    print(f"GEMM 512x512x512 (2 threads): Tapgrad {g:.1f} GFLOP/s, OpenBLAS {o:.1f} GFLOP/s, {100 * g / o:.0f}% of OpenBLAS")
