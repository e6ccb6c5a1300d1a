#!/usr/bin/env bash
# Benchmark: `java -jar node.jar create` vs `mktorrent` on one file held in the page cache,
# same piece length, same number of hashing threads, measured in the same run.
# Prints min and median wall time of each and the ratio ours/mktorrent (< 1 means we are faster),
# and checks both produce the same info hash.
#
#   bench/create/run.sh                 # 1 GiB file, piece lengths 256 KiB and 1 MiB, 3 runs each
#   SIZE_MIB=256 RUNS=1 bench/create/run.sh   # quick look
#   SIZE_MIB=4096 PIECE_EXPONENTS=20 bench/create/run.sh   # the 4 GiB row of `make bench`
#   NODE_JAR=/tmp/old-node.jar bench/create/run.sh          # another build of ours
# Prints a RESULT line per run (bench/lib.sh), and the ratio ours/mktorrent per round (the two
# run back to back, their order alternating) as min / median.
#
# Wall time includes JVM start-up: that is what a user waits for. The data file lives in
# bench/work/ (git-ignored) and is reused between runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh # RESULT lines for bench/run.sh

SIZE_MIB=${SIZE_MIB:-1024}
RUNS=${RUNS:-3}
THREADS=${THREADS:-2}
PIECE_EXPONENTS=(${PIECE_EXPONENTS:-18 20})

command -v mktorrent >/dev/null || { echo "bench: mktorrent not installed (scripts/install-deps.sh)" >&2; exit 1; }
./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
NODE_JAR=${NODE_JAR:-node.jar}

WORK=bench/work/create
mkdir -p "$WORK"
DATA="$WORK/random-${SIZE_MIB}MiB.bin"
if [[ ! -f "$DATA" || $(stat -c %s "$DATA") -ne $((SIZE_MIB << 20)) ]]; then
  echo "writing $DATA"
  head -c $((SIZE_MIB << 20)) /dev/urandom > "$DATA.part" && mv "$DATA.part" "$DATA"
fi
cat "$DATA" > /dev/null # into the page cache

now() { date +%s.%N; }

# time_cmd OUTVAR CMD...: runs CMD once, stores seconds in OUTVAR; its stderr goes to $WORK/stderr
time_cmd() {
  local var=$1; shift
  local t0 t1
  t0=$(now)
  "$@" >/dev/null 2>"$WORK/stderr" || { echo "bench: failed: $*" >&2; cat "$WORK/stderr" >&2; exit 1; }
  t1=$(now)
  printf -v "$var" '%s' "$(echo "$t1 - $t0" | bc -l)"
}

ours() { # one node.jar run, as a user runs it
  time_cmd t "$JAVA" -jar "$NODE_JAR" create "$DATA" -o "$WORK/ours.torrent" --force --quiet \
    --threads "$THREADS" --piece-length "$piece"
  our_times+=("$t")
}

# One more, untimed, run with --debug for the in-JVM time (scan, hash, write) it prints. Not the
# timed run: --debug's own set-up (time zone rules, regexes, String.format) cost that run ~25 ms
# a user never pays (measured 2026-12-05; until then the timed run had --debug).
ours_inner() {
  time_cmd ignored "$JAVA" -jar "$NODE_JAR" create "$DATA" -o "$WORK/ours.torrent" --force --quiet --debug \
    --threads "$THREADS" --piece-length "$piece"
  inner_times+=("$(sed -n 's/.*hashed [0-9]* bytes in \([0-9.]*\) s.*/\1/p' "$WORK/stderr")")
}

mk() {
  rm -f "$WORK/mk.torrent"
  time_cmd t mktorrent -t "$THREADS" -l "$exp" -o "$WORK/mk.torrent" "$DATA"
  mk_times+=("$t")
}

stats() { # prints "min median" of the arguments
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {printf "%.3f %.3f", v[1], v[int((NR+1)/2)]}'
}

hash_of() {
  "$JAVA" -jar "$NODE_JAR" info "$1" --json | sed -n 's/.*"infoHash": "\([0-9a-f]*\)".*/\1/p'
}

echo "create benchmark: ${SIZE_MIB} MiB file in page cache, $THREADS hashing threads, $RUNS runs, $(nproc) cores"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)   java: $("$JAVA" -version 2>&1 | head -1)   $(mktorrent -h 2>/dev/null | head -1)"
printf '%-10s %-22s %-22s %-22s %s\n' "piece" "mktorrent min/median" "node.jar min/median" "ours/mk per round min/med" "node.jar without JVM start/exit (median)"
for exp in "${PIECE_EXPONENTS[@]}"; do
  piece=$((1 << exp))
  mk_times=(); our_times=(); inner_times=(); ratios=()
  scenario="create-${SIZE_MIB}MiB-$((piece >> 10))k"; scenario=${scenario/%1024k/1m}
  for ((r = 0; r < RUNS; r++)); do
    # alternate who goes first so neither always gets the warmer cache/CPU
    if (( r % 2 == 0 )); then mk; ours; else ours; mk; fi
    ours_inner
    result "$scenario" time ours ours $((r + 1)) "$(printf '%.3f' "${our_times[-1]}")" s lower
    result "$scenario" time mktorrent ref $((r + 1)) "$(printf '%.3f' "${mk_times[-1]}")" s lower
    ratios+=("$(echo "${our_times[-1]} / ${mk_times[-1]}" | bc -l)")
  done
  read -r mk_min mk_med <<<"$(stats "${mk_times[@]}")"
  read -r our_min our_med <<<"$(stats "${our_times[@]}")"
  read -r _ inner_med <<<"$(stats "${inner_times[@]}")"
  read -r ratio_min ratio_med <<<"$(stats "${ratios[@]}")"
  same="same info hash"
  [[ "$(hash_of "$WORK/mk.torrent")" == "$(hash_of "$WORK/ours.torrent")" ]] || same="INFO HASH DIFFERS"
  printf '%-10s %-22s %-22s %-22s %s\n' "$((piece >> 10)) KiB" "${mk_min}s / ${mk_med}s" "${our_min}s / ${our_med}s" \
    "$(printf '%.2f / %.2f' "$ratio_min" "$ratio_med")" "${inner_med}s  ($same)"
done
