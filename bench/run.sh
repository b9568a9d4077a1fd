#!/usr/bin/env bash
# Issue 5's benchmark driver. Builds the runtime, the processor and the bench jar, then
#
#   bench/run.sh [steps]   training-step throughput: Tapgrad (StepBench) and PyTorch (torch_bench.py at
#                          1 and 2 threads, OPENBLAS_NUM_THREADS=1) run alternately RUNS times; prints per
#                          workload the median samples/s of each side and the ratio Tapgrad / PyTorch
#                          (PyTorch at its better thread count), then GEMM n = 512 on 2 threads, Tapgrad
#                          (JMH) against OpenBLAS (torch.mm, OPENBLAS_NUM_THREADS=2) in the same runs.
#   bench/run.sh kernels   the full JMH GEMM and Conv2D benchmark with GFLOP/s next to the peak.
#
# Environment: RUNS (5), WARMUP and MEASURE seconds per workload and run (4, 6), TAPGRAD_TARGET
# (Maven build folder, default target; parallel checkouts pass e.g. target-l), PYTHON (/usr/bin/python3,
# Debian's python3-torch), JAVA (java), SKIP_BUILD=1 to reuse the last build, BENCH_JAR to time
# another build of the bench jar (e.g. a saved baseline) with SKIP_BUILD=1, VECTOR (1: java runs with
# --add-modules jdk.incubator.vector, so the GEMM uses its Vector API kernel; 0: -Dtapgrad.vector=false,
# the portable kernel). Every mode prints which GEMM kernel ran.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-steps}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-4}
MEASURE=${MEASURE:-6}
TARGET=${TAPGRAD_TARGET:-target}
PYTHON=${PYTHON:-/usr/bin/python3}
JAVA=${JAVA:-java}
JAR=${BENCH_JAR:-bench/$TARGET/tapgrad-bench.jar}
if [ "${VECTOR:-1}" = 0 ]; then
  JAVA_OPTS=(-Dtapgrad.vector=false)
else
  JAVA_OPTS=(--add-modules jdk.incubator.vector)
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== build (runtime and processor into ~/.m2, then bench/$TARGET/tapgrad-bench.jar)" >&2
  mvn -q -o -Dtapgrad.target="$TARGET" -pl dsl-processor,runtime -am install -Dmaven.test.skip=true
  # clean: shade would otherwise merge its own previous output, keeping stale runtime classes.
  mvn -q -Dtapgrad.target="$TARGET" -f bench/pom.xml clean package
fi

if [ "$MODE" = kernels ]; then
  shift || true
  exec "$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" dev.tapgrad.bench.KernelBench "$@"
fi
if [ "$MODE" != steps ]; then
  echo "usage: bench/run.sh [steps|kernels [--quick] [shape regexp]]" >&2
  exit 2
fi

mkdir -p "bench/$TARGET"
RESULTS=bench/$TARGET/results-$(date +%Y%m%d-%H%M%S).txt
echo "== GEMM kernel: $("$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" dev.tapgrad.bench.KernelBench --kernel 2>/dev/null)" | tee -a "$RESULTS" >&2
echo "== $RUNS runs, warm-up ${WARMUP}s + ${MEASURE}s per workload; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for r in $(seq 1 "$RUNS"); do
  echo "-- run $r/$RUNS" >&2
  "$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" dev.tapgrad.bench.StepBench --warmup "$WARMUP" --measure "$MEASURE" | sed 's/^RESULT/tapgrad/' | tee -a "$RESULTS" >&2
  for t in 1 2; do
    OPENBLAS_NUM_THREADS=1 "$PYTHON" bench/torch_bench.py --threads "$t" --warmup "$WARMUP" --measure "$MEASURE" \
      | sed "s/^RESULT/torch$t/" | tee -a "$RESULTS" >&2
  done
  "$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" dev.tapgrad.bench.KernelBench --quick '^512x512x512:NN$' | grep '^GEMM [0-9]' \
    | sed 's/^GEMM/gemm-tapgrad/' | tee -a "$RESULTS" >&2
  OPENBLAS_NUM_THREADS=2 "$PYTHON" bench/torch_bench.py --threads 2 --gemm 512 | sed 's/^GEMM/gemm-openblas/' \
    | tee -a "$RESULTS" >&2
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg); raw results in $RESULTS" >&2

"$PYTHON" bench/summarize.py "$RESULTS"
