#!/usr/bin/env bash
# Measures core as it is against core with the PROPOSAL commits applied (BENCHMARKS.md, "Proposals"):
# the same benchmark classes run on both, alternately, against one out-of-process BenchServer.
#
#   crate-reactive-core/src/bench/compare-proposals.sh [rounds] [commit...]
#
# Run from the repository root with a clean crate-reactive-core/src/main (QUICK=1 checks the script in a
# minute). Default: 2 rounds, the four
# PROPOSAL commits of the bench branch. Output: target/bench/proposals/*.txt and a table on stdout.
set -euo pipefail

ROUNDS=${1:-2}
shift || true
COMMITS=("$@")
if [ ${#COMMITS[@]} -eq 0 ]; then
  mapfile -t COMMITS < <(git log --reverse --format=%h --grep='^PROPOSAL: ' HEAD)
fi
MODULE=crate-reactive-core
OUT=$MODULE/target/bench/proposals
WORK=$(mktemp -d)
trap 'git checkout -q -- $MODULE/src/main; rm -rf "$WORK"; [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true' EXIT

if [ -n "$(git status --porcelain -- $MODULE/src/main)" ]; then
  echo "$MODULE/src/main has local changes; commit or stash them first" >&2
  exit 1
fi
mkdir -p "$OUT"

mvn -q -pl $MODULE -Pbench test-compile
mvn -q -pl $MODULE -Pbench dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/deps"
cp -r $MODULE/target/test-classes "$WORK/bench"
cp -r $MODULE/target/classes "$WORK/base"
APPLIED=()
for commit in "${COMMITS[@]}"; do
  if git format-patch -1 --stdout "$commit" | git apply --check -R - 2>/dev/null; then
    echo "$commit is already in core: skipped"
  else
    git format-patch -1 --stdout "$commit" | git apply -
    APPLIED+=("$commit")
  fi
done
if [ ${#APPLIED[@]} -eq 0 ]; then
  echo "nothing to compare: every proposal is already in core"
  exit 0
fi
mvn -q -pl $MODULE compile
cp -r $MODULE/target/classes "$WORK/proposals"
git checkout -q -- $MODULE/src/main
mvn -q -pl $MODULE compile
DEPS=$(cat "$WORK/deps")

# The server in its own process, as in the suite; its ports on the first line.
coproc SERVER { exec java -Xmx1g -cp "$WORK/bench:$WORK/base:$DEPS" dev.cratereactive.bench.BenchServer 1000000; }
read -r READY <&"${SERVER[0]}"
SMALL=$(sed 's/.*small=\([0-9]*\).*/\1/' <<<"$READY")
BULK=$(sed 's/.*bulk=\([0-9]*\).*/\1/' <<<"$READY")

run() { # side, file, jmh args... (QUICK=1: one short iteration each, to check the script)
  local side=$1 file=$2
  shift 2
  if [ "${QUICK:-0}" = 1 ]; then set -- "$1" -wi 1 -i 1 -w 1 -r 1; fi
  echo "== $side, load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$file"
  java -cp "$WORK/bench:$WORK/$side:$DEPS" org.openjdk.jmh.Main "$@" \
    -jvmArgsPrepend "-Dbench.url.small=http://127.0.0.1:$SMALL -Dbench.url.bulk=http://127.0.0.1:$BULK" \
    -prof gc -prof dev.cratereactive.bench.ProcessCpuProfiler 2>&1 \
    | grep -E '^[A-Za-z]+Benchmark\.[A-Za-z]+(:gc\.alloc\.rate\.norm|:cpu\.norm)? ' >>"$file"
}

for round in $(seq 1 "$ROUNDS"); do
  for side in base proposals; do
    run $side "$OUT/decode.txt" 'DecodeBenchmark\.(ours|decoderFromMemory)$' -wi 2 -i 3 -w 3 -r 3
    run $side "$OUT/small.txt" 'SmallQueryBenchmark\.ours$' -wi 3 -i 3 -w 2 -r 2
    run $side "$OUT/bulk.txt" 'BulkBenchmark\.ours$' -wi 2 -i 3 -w 2 -r 2
    run $side "$OUT/codec.txt" 'CodecBenchmark\.(decodeSmallOurs|encodeBulkOurs)$' -wi 2 -i 3 -w 1 -r 1
  done
done
echo "Commits applied: ${APPLIED[*]}"
for file in "$OUT"/*.txt; do
  echo "--- $file"
  cat "$file"
done
