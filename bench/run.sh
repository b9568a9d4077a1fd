#!/usr/bin/env bash
# Issue 5's benchmark driver. Builds the runtime, the processor and the bench jar, then
#
#   bench/run.sh [steps]   training-step throughput: Tapgrad (StepBench) and PyTorch (torch_bench.py at
#                          1 and 2 threads, OPENBLAS_NUM_THREADS=1) run alternately RUNS times, workload by
#                          workload, each in a fresh process (WORKLOADS, default all ten); prints per
#                          workload the median samples/s of each side and the ratio Tapgrad / PyTorch
#                          (PyTorch at its better thread count), then GEMM n = 512 on 2 threads, Tapgrad
#                          (JMH) against OpenBLAS (torch.mm, OPENBLAS_NUM_THREADS=2) in the same runs.
#   bench/run.sh gemm      Tapgrad's GEMM (JMH) against OpenBLAS (torch.mm) on 2 threads, on 512^3 and on the
#                          workloads' products (GEMM_SHAPES), alternating RUNS times, each as a share of the
#                          other and of the machine's measured FMA peak (PeakBench).
#   bench/run.sh kernels   the full JMH GEMM and Conv2D benchmark with GFLOP/s next to the peak.
#
# PyTorch and OpenBLAS run without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (issue 17): machines that set
# them (e.g. OPENBLAS_CORETYPE=Haswell on an AVX-512 Xeon) force an older, slower OpenBLAS kernel, so the
# peer would be measured below its best. Each run prints the core type OpenBLAS chose and checks once
# that its float32 results match float64 references (torch_bench.py --check). KEEP_OPENBLAS_ENV=1 keeps
# the variables, to reproduce the handicapped numbers. PyTorch also runs with glibc's malloc keeping the
# memory it frees (below), DEFAULT_MALLOC=1 to run it with glibc's defaults.
#
# Environment: RUNS (3), WARMUP and MEASURE seconds per workload and run (3, 5), TAPGRAD_TARGET
# (Maven build folder, default target; parallel checkouts pass e.g. target-l), PYTHON (/usr/bin/python3,
# Debian's python3-torch), JAVA (java), SKIP_BUILD=1 to reuse the last build, BENCH_JAR to time
# another build of the bench jar (e.g. a saved baseline) with SKIP_BUILD=1, VECTOR (1: java runs with
# --add-modules jdk.incubator.vector, so the GEMM uses its Vector API kernel; 0: -Dtapgrad.vector=false,
# the portable kernel), MAVEN_REPO (a Maven local repository for the build's `install`, passed as
# -Dmaven.repo.local, so that a shared ~/.m2 is left alone; default: Maven's own). Every mode prints
# which GEMM kernel ran. With the defaults a full run takes about 16 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-steps}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-3}
MEASURE=${MEASURE:-5}
ALL_WORKLOADS="cnn32 cnn128 lstm32 diverse32 mlp128 convnet128 gru32 twoconv64 bnconv64 gru64"
WORKLOADS=${WORKLOADS:-$ALL_WORKLOADS}
TARGET=${TAPGRAD_TARGET:-target}
PYTHON=${PYTHON:-/usr/bin/python3}
JAVA=${JAVA:-java}
JAR=${BENCH_JAR:-bench/$TARGET/tapgrad-bench.jar}
if [ "${VECTOR:-1}" = 0 ]; then
  JAVA_OPTS=(-Dtapgrad.vector=false)
else
  JAVA_OPTS=(--add-modules jdk.incubator.vector)
fi

MVN_OPTS=(-q -Dtapgrad.target="$TARGET")
if [ -n "${MAVEN_REPO:-}" ]; then
  MVN_OPTS+=(-Dmaven.repo.local="$MAVEN_REPO")
fi
# The peer at its best: without the variables that pin OpenBLAS to an older kernel.
if [ "${KEEP_OPENBLAS_ENV:-0}" = 1 ]; then
  PEER=(env)
else
  PEER=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
fi
# glibc's malloc, by default, serves blocks of 128 KB and up (a threshold it raises as such blocks are
# freed) from fresh mappings and returns the heap's free top to the OS; PyTorch frees and allocates its
# activations every step, so on this VM each step paid page faults for them: the same PyTorch process
# ran mlp128 at 5-7k or 21-28k samples/s and twoconv64 at 0.6-0.9k or 3.4-4.5k depending on what ran
# before it (bench/README.md). The peer at its best keeps its freed memory: mapped blocks only above
# 32 MB (glibc's largest threshold, which also stops the adjusting) and no trimming.
# DEFAULT_MALLOC=1 keeps glibc's defaults, to reproduce the slow stretches.
if [ "${DEFAULT_MALLOC:-0}" != 1 ]; then
  PEER+=(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4294967295)
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== build (runtime and processor into ${MAVEN_REPO:-the Maven local repository}, then bench/$TARGET/tapgrad-bench.jar)" >&2
  mvn "${MVN_OPTS[@]}" -o -pl dsl-processor,runtime -am install -Dmaven.test.skip=true
  # clean: shade would otherwise merge its own previous output, keeping stale runtime classes.
  mvn "${MVN_OPTS[@]}" -f bench/pom.xml clean package
fi

# The machine's measured fp32 FMA peak per core (PeakBench), the roof every share is taken against.
peak() {
  "$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" dev.tapgrad.bench.PeakBench 2>/dev/null | sed -n 's/^PEAK /peak /p'
}

if [ "$MODE" = gemm ]; then
  # Issue 17 item 5: Tapgrad's GEMM against OpenBLAS at its best on 512^3 and on the workloads' products,
  # both on 2 threads, alternating RUNS times; summarize.py --gemm prints the shares.
  SHAPES=${GEMM_SHAPES:-"512x512x512:NN 128x512x784:NN 784x512x128:TN 128x784x512:NT 128x512x512:NN 512x512x128:TN 128x512x512:NT 64x10x18432:NN 18432x10x64:TN 64x18432x10:NT 128x10x1600:NN 1600x10x128:TN 128x1600x10:NT"}
  mkdir -p "bench/$TARGET"
  RESULTS=bench/$TARGET/gemm-$(date +%Y%m%d-%H%M%S).txt
  echo "== GEMM kernel: $("$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" dev.tapgrad.bench.KernelBench --kernel 2>/dev/null)" | tee -a "$RESULTS" >&2
  echo "== peer: $("${PEER[@]}" "$PYTHON" bench/torch_bench.py --info)" | tee -a "$RESULTS" >&2
  peak | tee -a "$RESULTS" >&2
  regexp="^($(echo $SHAPES | sed 's/ /|/g'))\$"
  for r in $(seq 1 "$RUNS"); do
    echo "-- run $r/$RUNS" >&2
    "$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" dev.tapgrad.bench.KernelBench --quick "$regexp" | grep '^GEMM [0-9]' \
      | sed 's/^GEMM/gemm-tapgrad/' | tee -a "$RESULTS" >&2
    # shellcheck disable=SC2086
    "${PEER[@]}" OPENBLAS_NUM_THREADS=2 "$PYTHON" bench/torch_bench.py --threads 2 --gemm-shapes $SHAPES \
      | sed 's/^GEMM/gemm-openblas/' | tee -a "$RESULTS" >&2
  done
  echo "command: RUNS=$RUNS bench/run.sh gemm; $(nproc) x $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $("$JAVA" -version 2>&1 | head -1)" >>"$RESULTS"
  exec "$PYTHON" bench/summarize.py --gemm "$RESULTS"
fi

if [ "$MODE" = kernels ]; then
  shift || true
  exec "$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" dev.tapgrad.bench.KernelBench "$@"
fi
if [ "$MODE" != steps ]; then
  echo "usage: bench/run.sh [steps|gemm|kernels [--quick] [shape regexp]]" >&2
  exit 2
fi

mkdir -p "bench/$TARGET"
RESULTS=bench/$TARGET/results-$(date +%Y%m%d-%H%M%S).txt
echo "== GEMM kernel: $("$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" dev.tapgrad.bench.KernelBench --kernel 2>/dev/null)" | tee -a "$RESULTS" >&2
echo "mode $([ "${VECTOR:-1}" = 0 ] && echo portable || echo vector)" >>"$RESULTS"
echo "== peer: $("${PEER[@]}" "$PYTHON" bench/torch_bench.py --info)" | tee -a "$RESULTS" >&2
echo "== peer: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE $([ "${KEEP_OPENBLAS_ENV:-0}" = 1 ] \
  && echo "kept (${OPENBLAS_CORETYPE:-unset}, ${OPENBLAS_L2_SIZE:-unset})" || echo unset)" | tee -a "$RESULTS" >&2
echo "== peer: glibc malloc $([ "${DEFAULT_MALLOC:-0}" = 1 ] && echo "defaults (DEFAULT_MALLOC=1)" \
  || echo "keeps freed memory (MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4294967295)")" | tee -a "$RESULTS" >&2
"${PEER[@]}" "$PYTHON" bench/torch_bench.py --check | tee -a "$RESULTS" >&2
peak | tee -a "$RESULTS" >&2
echo "== $RUNS runs, warm-up ${WARMUP}s + ${MEASURE}s per workload; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
tapgrad_run() {
  "$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" dev.tapgrad.bench.StepBench --warmup "$WARMUP" --measure "$MEASURE" "$1" \
    | sed 's/^RESULT/tapgrad/' | tee -a "$RESULTS" >&2
}
torch_run() {
  "${PEER[@]}" OPENBLAS_NUM_THREADS=1 "$PYTHON" bench/torch_bench.py --threads "$2" --warmup "$WARMUP" --measure "$MEASURE" \
    "$1" | sed "s/^RESULT/torch$2/" | tee -a "$RESULTS" >&2
}
for r in $(seq 1 "$RUNS"); do
  echo "-- run $r/$RUNS" >&2
  # Workload by workload, each side in a fresh process: a workload's three measurements lie within
  # about half a minute, so that the machine's slow and fast stretches (this shared VM's speed drifts
  # by tens of percent within minutes) fall on both sides of a ratio, and every other run reverses
  # the order, so that a drift within the half minute does not favour one side.
  for w in $WORKLOADS; do
    if [ $((r % 2)) = 1 ]; then
      tapgrad_run "$w"; torch_run "$w" 1; torch_run "$w" 2
    else
      torch_run "$w" 2; torch_run "$w" 1; tapgrad_run "$w"
    fi
  done
  "$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" dev.tapgrad.bench.KernelBench --quick '^512x512x512:NN$' | grep '^GEMM [0-9]' \
    | sed 's/^GEMM/gemm-tapgrad/' | tee -a "$RESULTS" >&2
  "${PEER[@]}" OPENBLAS_NUM_THREADS=2 "$PYTHON" bench/torch_bench.py --threads 2 --gemm 512 | sed 's/^GEMM/gemm-openblas/' \
    | tee -a "$RESULTS" >&2
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg); raw results in $RESULTS" >&2
echo "command: $(for v in RUNS WARMUP MEASURE VECTOR KEEP_OPENBLAS_ENV DEFAULT_MALLOC; do [ -n "${!v:-}" ] && printf '%s=%s ' "$v" "${!v}"; done)$(
  [ "$WORKLOADS" != "$ALL_WORKLOADS" ] && printf 'WORKLOADS="%s" ' "$WORKLOADS")$([ "$JAVA" != java ] && printf 'JAVA=%s ' "$JAVA")bench/run.sh; $(nproc) x $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $("$JAVA" -version 2>&1 | head -1)" >>"$RESULTS"

"$PYTHON" bench/summarize.py "$RESULTS"
