#!/usr/bin/python3
"""Summarises the raw lines of bench/run.sh (`<side> <workload> <value>`): per workload the median
samples/s of Tapgrad and of PyTorch at 1 and 2 threads, the ratio of Tapgrad's median to PyTorch's
better median, and issue 17's target for it (2.0x with the Vector API kernels, 1.0x with the portable
ones; the file's `mode` line says which ran), and beside it the stricter ratio to PyTorch's single
fastest run at either thread count (PyTorch's conv workloads are bimodal on small VMs: one median can
land on its slow mode); then GEMM n = 512 against OpenBLAS, each as a share of
the machine's fp32 FMA peak. With --gemm (the file of `bench/run.sh gemm`) it prints instead one row per
GEMM shape: Tapgrad and OpenBLAS in GFLOP/s, Tapgrad's share of OpenBLAS (issue 17's target: 95%) and each
side's share of the peak.

    /usr/bin/python3 bench/summarize.py [--peak GFLOPS_PER_CORE] [--gemm] bench/target/results-<date>.txt

The peak is the file's `peak` line (PeakBench: measured FMA throughput per core, which run.sh records)
or --peak; without either, 166.4 GFLOP/s per core (issue 5's Xeon: 2 FMA units x 16 lanes x 2 flops x
2.6 GHz). The GEMMs run on 2 threads, so their shares are of 2 cores' peak.
"""
import argparse
import re
import statistics
from collections import defaultdict

TARGET = {"vector": 2.0, "portable": 1.0}

p = argparse.ArgumentParser()
p.add_argument("--peak", type=float)
p.add_argument("--gemm", action="store_true", help="the file of bench/run.sh gemm: one row per shape")
p.add_argument("results")
args = p.parse_args()

vals = defaultdict(list)
mode, info, measured_peak = "vector", [], None
for line in open(args.results):
    line = line.strip()
    if line.startswith("peak "):
        measured_peak = float(line.split()[1])
        continue
    m = re.fullmatch(r"(tapgrad|torch1|torch2|gemm-tapgrad|gemm-openblas) (\S+) ([0-9.]+)", line)
    if m:
        vals[(m[1], m[2])].append(float(m[3]))
    elif line.startswith("mode "):
        mode = line.split()[1]
    elif line.startswith(("command: ", "== peer: ", "== GEMM kernel: ", "CHECK ")):
        info.append(line)
med = {k: statistics.median(v) for k, v in vals.items()}
peak_source = "--peak" if args.peak else "measured by PeakBench" if measured_peak else "issue 5's Xeon, assumed"
args.peak = args.peak or measured_peak or 166.4
if args.gemm:
    shapes = list(dict.fromkeys(n for (s, n) in vals if s == "gemm-tapgrad"))
    runs = len(vals[("gemm-tapgrad", shapes[0])])
    two = 2 * args.peak
    print("| GEMM m x n x k | Tapgrad GFLOP/s | OpenBLAS GFLOP/s | Tapgrad / OpenBLAS | Tapgrad % of peak | OpenBLAS % of peak |")
    print("|---|---:|---:|---:|---:|---:|")
    short = []
    for n in shapes:
        g, o = med[("gemm-tapgrad", n)], med.get(("gemm-openblas", n), float("nan"))
        if not g >= 0.95 * o:
            short.append(n)
        print(f"| {n} | {g:.1f} | {o:.1f} | {100 * g / o:.0f}% | {100 * g / two:.0f}% | {100 * o / two:.0f}% |")
    print(f"\n2 threads, median of {runs} runs; peak {two:.0f} GFLOP/s for 2 cores ({args.peak:.1f} per core, {peak_source})")
    print("every shape at 95% of OpenBLAS or more" if not short else f"below 95% of OpenBLAS: {', '.join(short)}")
    for line in info:
        print(line)
    raise SystemExit(0)
names = list(dict.fromkeys(n for (s, n) in vals if s == "tapgrad"))
runs = len(vals[("tapgrad", names[0])])
target = TARGET[mode]
print("| workload | Tapgrad | PyTorch 1 thread | PyTorch 2 threads | Tapgrad / PyTorch | vs PyTorch's fastest run | target |")
print("|---|---:|---:|---:|---:|---:|---:|")
below = []
for n in names:
    t = med[("tapgrad", n)]
    p1, p2 = med.get(("torch1", n), float("nan")), med.get(("torch2", n), float("nan"))
    ratio = t / max(p1, p2)
    fastest = max(vals.get(("torch1", n), []) + vals.get(("torch2", n), []), default=float("nan"))
    if not ratio >= target:
        below.append(n)
    mark = "" if ratio >= target else " (below)"
    print(f"| {n} | {t:.0f} | {p1:.0f} | {p2:.0f} | {ratio:.2f}x | {t / fastest:.2f}x | {target:.1f}x{mark} |")
print(f"\nsamples/s, median of {runs} runs; the ratio is against PyTorch's better thread count; {mode} kernels")
print("every workload at or above its target" if not below else f"below target: {', '.join(below)}")
g = med.get(("gemm-tapgrad", "512x512x512:NN"))
o = med.get(("gemm-openblas", "512")) or med.get(("gemm-openblas", "512x512x512:NN"))
if g and o:
    peak = 2 * args.peak
    print(f"GEMM 512x512x512 (2 threads): Tapgrad {g:.1f} GFLOP/s ({100 * g / peak:.0f}% of 2 cores' FMA peak "
          f"{peak:.0f}, {peak_source}), OpenBLAS {o:.1f} GFLOP/s ({100 * o / peak:.0f}%); Tapgrad at {100 * g / o:.0f}% of OpenBLAS")
for line in info:
    print(line)
