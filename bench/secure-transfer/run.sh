#!/usr/bin/env bash
# Node -> node over loopback with `--encryption required` against the same with `off`
# (issue 7: secure should keep at least 90% of plain throughput). One seeder and one leecher
# per run, by --peer (no tracker), a random file, 1 MiB pieces; modes alternate in each round
# so that both see the same machine. Prints wall time (leecher start to exit), MiB/s and the
# leecher's + seeder's CPU seconds, then median secure/plain ratios.
#
# usage: bench/secure-transfer/run.sh [--size MiB] [--rounds N] [--dir DIR] [--jfr]
#   --jfr: record both nodes with JDK Flight Recorder (settings=profile) into DIR/<mode>-<node>-<round>.jfr;
#          then e.g. `jfr view hot-methods DIR/required-leecher-1.jfr`
# Run on a quiet machine (uptime load < 1.5).
# Prints RESULT lines (bench/lib.sh) per round: time, rate and CPU of both nodes, secure (role
# ours) against plain (role ref), so the ratios are what the secure channel costs.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
SIZE_MIB=1024
ROUNDS=3
JFR=0
WORK=${TMPDIR:-/tmp}/simplebt-bench-secure
while [[ $# -gt 0 ]]; do
  case $1 in
    --jfr) JFR=1; shift ;;
    *) bench_option "$@" || exit 2; shift 2 ;;
  esac
done

[[ -f node.jar && -f build/jdk-home ]] || ./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
SP=""
cleanup() { [[ -n "$SP" ]] && kill "$SP" 2>/dev/null || true; }
trap cleanup EXIT

echo "load: $(uptime | sed 's/.*load average: //')"
mkdir -p "$WORK/seed"
DATA="$WORK/seed/payload.bin"
random_payload "$DATA" "$SIZE_MIB"
T="$WORK/payload.torrent"
"$JAVA" -jar node.jar create "$DATA" -o "$T" --piece-length 1m --force > /dev/null

jfr_opts() { # MODE NODE ROUND
  [[ $JFR == 1 ]] && echo "-XX:StartFlightRecording=name=bench,filename=$WORK/$1-$2-$3.jfr,settings=profile,dumponexit=true"
  return 0
}

# one MODE ROUND: prints "seconds leecher_cpu seeder_cpu"
one() {
  local mode=$1 round=$2 out="$WORK/out" SEED_PORT
  SEED_PORT=$(free_port)
  rm -rf "$out"; mkdir -p "$out"
  cat "$DATA" > /dev/null   # warm page cache
  "$JAVA" $(jfr_opts "$mode" seeder "$round") -jar node.jar seed "$T" --data "$WORK/seed" --port $SEED_PORT \
    --bind 127.0.0.1 --no-tracker --encryption "$mode" --quiet > "$WORK/seeder.out" 2>&1 & SP=$!
  wait_port $SEED_PORT
  local start end
  start=$(date +%s.%N)
  timeout 900 /usr/bin/time -v -o "$WORK/leecher.time" "$JAVA" $(jfr_opts "$mode" leecher "$round") -jar node.jar download "$T" --out "$out" --port 0 --bind 127.0.0.1 \
    --no-tracker --encryption "$mode" --peer 127.0.0.1:$SEED_PORT --quiet > "$WORK/leecher.out" 2>&1 \
    || { echo "leecher failed:" >&2; tail -20 "$WORK/leecher.out" >&2; exit 1; }
  end=$(date +%s.%N)
  local seeder_cpu
  seeder_cpu=$(cpu_of_pid "$SP") # before it goes
  if [[ $JFR == 1 ]]; then # the seeder's recording is dumped here: it ends by a signal
    "$(dirname "$JAVA")/jcmd" "$SP" JFR.dump name=bench filename="$WORK/$mode-seeder-$round.jfr" > /dev/null || true
  fi
  kill "$SP" 2>/dev/null || true; wait "$SP" 2>/dev/null || true; SP=""
  cmp -s "$DATA" "$out/payload.bin" || { echo "downloaded file differs from the original!" >&2; exit 1; }
  rm -rf "$out"
  echo "$(echo "$end - $start" | bc -l) $(cpu_of_time "$WORK/leecher.time") $seeder_cpu"
}

RATE=(); CPU=()
for round in $(seq 1 "$ROUNDS"); do
  declare -A secs cpu
  for mode in off required; do
    read -r s lc sc <<<"$(one $mode "$round")"
    [[ -n $s ]] || { echo "run failed ($mode, round $round)" >&2; exit 1; }
    secs[$mode]=$s; cpu[$mode]=$(echo "$lc + $sc" | bc -l)
    printf "round %d %-8s %8.2f s  %8.1f MiB/s  CPU leecher %6.2f s seeder %6.2f s\n" "$round" "$mode" "$s" \
      "$(echo "$SIZE_MIB / $s" | bc -l)" "$lc" "$sc"
    tool=plain role=ref; [[ $mode == required ]] && tool=secure role=ours
    result "secure-transfer-${SIZE_MIB}MiB" time $tool $role "$round" "$(printf '%.3f' "$s")" s lower
    result "secure-transfer-${SIZE_MIB}MiB" rate $tool $role "$round" "$(printf '%.1f' "$(echo "$SIZE_MIB / $s" | bc -l)")" MiB/s higher
    result "secure-transfer-${SIZE_MIB}MiB" cpu-both-nodes $tool $role "$round" "$(printf '%.2f' "${cpu[$mode]}")" s lower
  done
  RATE+=("$(echo "${secs[off]} / ${secs[required]}" | bc -l)")
  CPU+=("$(echo "${cpu[required]} / ${cpu[off]}" | bc -l)")
done

echo
printf "secure/plain throughput (median of %d): %.2f  (goal >= 0.90)\n" "$ROUNDS" "$(printf '%s\n' "${RATE[@]}" | median)"
printf "secure/plain CPU seconds, both nodes (median): %.2f\n" "$(printf '%s\n' "${CPU[@]}" | median)"
