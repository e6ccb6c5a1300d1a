#!/usr/bin/env bash
# `make bench`: runs every benchmark in one go on loopback and writes
# bench/results/<date>/report.md plus each benchmark's raw output.
#   bench/run.sh           full sizes (1 GiB transfers, 10 s tracker rounds): about 20-30 minutes
#   bench/run.sh --quick   small sizes, for development: a few minutes
# Each benchmark compares against its reference (mktorrent, aria2, libtorrent, opentracker)
# in the same run and prints the ratio; see bench/README.md for how to read them.
set -uo pipefail
cd "$(dirname "$0")/.."
QUICK=0
[[ "${1:-}" == "--quick" ]] && QUICK=1
scripts/install-deps.sh --bench
./build.sh >/dev/null || exit 1

STAMP=$(date -u +%Y-%m-%dT%H%M)
OUT="bench/results/$STAMP"
mkdir -p "$OUT"

if (( QUICK )); then
  CREATE=(env SIZE_MIB=128 RUNS=1 bench/create/run.sh)
  TRACKER=(bench/tracker/run.sh 3)
  TRANSFER=(bench/transfer/run.sh --size 128)
  SECURE=(bench/secure/run.sh --gib 0.25 --rounds 1)
  SECURE_TRANSFER=(bench/secure-transfer/run.sh --size 128)
  SWARM=(bench/swarm/run.sh --size 16)
else
  CREATE=(bench/create/run.sh)
  TRACKER=(bench/tracker/run.sh)
  TRANSFER=(bench/transfer/run.sh)
  SECURE=(bench/secure/run.sh)
  SECURE_TRANSFER=(bench/secure-transfer/run.sh)
  SWARM=(bench/swarm/run.sh)
fi

run() { # run NAME COMMAND...: a missing benchmark script is reported, not fatal
  local name=$1; shift
  local script
  for script in "$@"; do [[ "$script" == bench/*/run.sh ]] && break; done
  if [[ ! -x "$script" ]]; then
    echo "## $name: not available ($script missing)" | tee -a "$OUT/report.md"
    return
  fi
  echo "== $name: $*"
  local start=$SECONDS
  "$@" > "$OUT/$name.txt" 2>&1
  local rc=$?
  {
    echo "## $name"
    echo
    echo "Command: \`$*\` (exit $rc, $((SECONDS - start)) s). Last lines of \`$name.txt\`:"
    echo
    echo '```'
    tail -n 15 "$OUT/$name.txt"
    echo '```'
    echo
  } >> "$OUT/report.md"
}

{
  echo "# Benchmark report $STAMP $( ((QUICK)) && echo '(quick mode)')"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); load before start: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Java: $("$(cat build/jdk-home)/bin/java" -version 2>&1 | head -1)."
  echo "Every ratio compares against a reference measured in the same run; wall times on a shared"
  echo "2-core machine swing a lot between runs, so read the min/median columns, not one number."
  echo
} > "$OUT/report.md"

run create "${CREATE[@]}"
run tracker "${TRACKER[@]}"
run transfer "${TRANSFER[@]}"
run secure-streams "${SECURE[@]}"
run secure-transfer "${SECURE_TRANSFER[@]}"
run swarm "${SWARM[@]}"
echo "report: $OUT/report.md"
