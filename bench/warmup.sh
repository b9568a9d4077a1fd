#!/usr/bin/env bash
# Issue 17 item 3: how much slower the first epoch of a fresh JVM is than the later ones, on the
# flagship sample (sparse-cnn by default) exactly as a user starts it. Builds the samples jar (unless
# SKIP_BUILD=1), then starts it RUNS times in fresh JVMs, each for EPOCHS epochs in a temporary
# directory, and reads the per-epoch seconds of its progress lines ("Epoch i/N: ... (x.y s)": training
# plus the epoch's validation, what the user waits for). The first epoch is counted as the sample's
# train_seconds minus the later epochs, so that anything fit does before its first epoch starts (such
# as waiting for the kernel warm-up) counts in it. Prints one line per run,
#
#   WARMUP <sample> run <r> epochs <t1> <t2> ... first/later <t1 / median(t2..tN)>
#
# and the median of the ratios over the runs. The target is first/later <= 1.5.
#
# Environment: RUNS (5), EPOCHS (5), SAMPLE (sparse-cnn), JAVA (java), JAVA_FLAGS (extra JVM flags,
# e.g. -XX:+PrintCompilation to see where the time goes, -Dtapgrad.warmup.log=true for what the
# kernel warm-up did), VECTOR
# (1: --add-modules jdk.incubator.vector as the README's command; 0: plain java), SAMPLES_JAR
# (another build of the samples jar), MAVEN_REPO (as in run.sh: only read here, nothing is installed).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
EPOCHS=${EPOCHS:-5}
SAMPLE=${SAMPLE:-sparse-cnn}
JAVA=${JAVA:-java}
JAR=${SAMPLES_JAR:-$PWD/samples/target/tapgrad-samples.jar}
read -r -a EXTRA <<<"${JAVA_FLAGS:-}"
if [ "${VECTOR:-1}" = 0 ]; then
  OPTS=()
else
  OPTS=(--add-modules jdk.incubator.vector)
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== build samples/target/tapgrad-samples.jar" >&2
  mvn -B -q -o ${MAVEN_REPO:+-Dmaven.repo.local="$MAVEN_REPO"} -pl samples -am package -DskipTests
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "== $RUNS fresh JVMs of $SAMPLE, $EPOCHS epochs; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
ratios=()
for r in $(seq 1 "$RUNS"); do
  out=$(cd "$WORK" && "$JAVA" "${OPTS[@]}" "${EXTRA[@]}" -jar "$JAR" "$SAMPLE" --epochs "$EPOCHS" 2>&1 | tr '\r' '\n')
  times=$(sed -n "s|^Epoch [0-9]*/$EPOCHS: .* (\([0-9.]*\) s)\$|\1|p" <<<"$out" | tr '\n' ' ')
  total=$(sed -n 's|.*"train_seconds":\([0-9.]*\).*|\1|p' <<<"$out")
  times=$(python3 -c 'import sys; t=[float(x) for x in sys.argv[2:]]; total=float(sys.argv[1] or 0)
t[0]=max(t[0], round(total-sum(t[1:]),1)); print(" ".join(f"{x:.1f}" for x in t))' "$total" $times)" "
  ratio=$(python3 -c 'import statistics,sys; t=[float(x) for x in sys.argv[1:]]; print(f"{t[0] / statistics.median(t[1:]):.2f}")' $times)
  ratios+=("$ratio")
  echo "WARMUP $SAMPLE run $r epochs ${times}first/later $ratio"
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 -c 'import statistics,sys; print(f"median first/later over {len(sys.argv) - 1} runs: {statistics.median(map(float, sys.argv[1:])):.2f} (target <= 1.5)")' "${ratios[@]}"
