#!/usr/bin/env bash
# `make bench`: runs every benchmark in one go on loopback and writes bench/results/<date>/:
#   report.md     the ratios (ours / reference, min/median/max over the rounds), charts, and the
#                 last lines of each benchmark
#   results.csv   every measurement, one row each (scenario,metric,tool,role,round,value,unit,better)
#   results.json  the same rows as JSON
#   ratios.csv    per scenario, metric and reference: ours/ref per round, min/median/max
#   charts/*.png  ratios.png, bars-<scenario>.png, rates-<scenario>.png
#   series/*.csv  leecher bytes on disk every 200 ms (the rate charts' input)
#   <name>.txt    each benchmark's full output
#   bench/run.sh           full sizes (1 and 4 GiB transfers, 10 s tracker rounds): about 20-30 minutes
#   bench/run.sh --quick   small sizes, under 3 minutes, for development
# Each benchmark measures its reference (mktorrent, aria2, libtorrent, opentracker) in the same
# run, in interleaved rounds; see bench/README.md for how to read the results.
set -uo pipefail
cd "$(dirname "$0")/.."
QUICK=0
[[ "${1:-}" == "--quick" ]] && QUICK=1
T0=$SECONDS
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
scripts/install-deps.sh --bench
./build.sh >/dev/null || exit 1
JAVA="$(cat build/jdk-home)/bin/java"

STAMP=$(date -u +%Y-%m-%dT%H%M)
OUT="bench/results/$STAMP"
mkdir -p "$OUT"
export BENCH_RESULTS="$PWD/$OUT"
echo "scenario,metric,tool,role,round,value,unit,better" > "$OUT/results.csv"

if (( QUICK )); then
  # Small sizes; 3 rounds everywhere except the swarm (1 round of 1 seeder + 3 leechers: the
  # full 7 processes per client take ~30-40 s on 2 shared cores), no heap-per-peer or hot-path
  # tracker runs and no 4 GiB memory run. Leecher RSS comes from the transfer.
  SWARM_ROUNDS=1
  CREATE=(env SIZE_MIB=32 RUNS=3 PIECE_EXPONENTS=18 bench/create/run.sh)
  CREATE_4G=()
  TRACKER=(env HOTPATH=0 WARMUP=2 PEERS=0 bench/tracker/run.sh 1)
  TRANSFER=(bench/transfer/run.sh --size 16 --pieces 256k --rounds 3)
  FIRST_PIECE=(bench/first-piece/run.sh --size 8 --rounds 3)
  MEMORY=()
  SEEDER_MEMORY=()
  SECURE=(bench/secure/run.sh --gib 0.1 --rounds 3)
  SECURE_TRANSFER=(bench/secure-transfer/run.sh --size 8 --rounds 3)
  SWARM=(bench/swarm/run.sh --size 8 --leechers 3)
  MANY=(bench/serve-vs-transmission/run.sh --torrents 10 --size 256)
else
  SWARM_ROUNDS=3
  CREATE=(bench/create/run.sh)
  CREATE_4G=(env SIZE_MIB=4096 RUNS=3 PIECE_EXPONENTS=20 bench/create/run.sh)
  TRACKER=(bench/tracker/run.sh)
  TRANSFER=(bench/transfer/run.sh --rounds 3)
  FIRST_PIECE=(bench/first-piece/run.sh --rounds 5)
  MEMORY=(bench/memory/run.sh --size 4096 --rounds 3)
  SEEDER_MEMORY=(bench/seeder-memory/run.sh) # a figure without a reference: in the report, not in the ratios
  SECURE=(bench/secure/run.sh --rounds 3)
  SECURE_TRANSFER=(bench/secure-transfer/run.sh --rounds 3)
  SWARM=(bench/swarm/run.sh)
  MANY=(bench/serve-vs-transmission/run.sh)
fi

# collect NAME ROUND: appends the RESULT lines of NAME.txt (from this invocation) to results.csv
collect() {
  sed -n 's/^RESULT //p' "$OUT/$1.txt" | awk -v round="${2:-}" '{
      for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      if (round != "") v["round"] = round
      print v["scenario"] "," v["metric"] "," v["tool"] "," v["role"] "," v["round"] "," v["value"] "," v["unit"] "," v["better"]
    }' >> "$OUT/results.csv"
}

# swarm_results NAME ROUND LABEL: the RESULT lines of one bench/swarm/run.sh call, as round ROUND;
# for an older script without them, its summary lines
# "WHO all N complete in S s   seeder uploaded M MiB = Xx the file" instead
swarm_results() {
  grep -q '^RESULT ' "$OUT/$1.txt" && { collect "$1" "$2"; return; }
  awk -v round="$2" -v label="$3" '$2 == "all" && $4 == "complete" && !/FAILED/ {
      role = ($1 == "ours") ? "ours" : "ref"
      printf "swarm-%s,time-all-complete,%s,%s,%s,%s,s,lower\n", label, $1, role, round, $6
      printf "swarm-%s,seeder-upload,%s,%s,%s,%s,x-file,lower\n", label, $1, role, round, substr($13, 1, length($13) - 1)
    }' "$OUT/$1.txt" >> "$OUT/results.csv"
}

SECTIONS="$OUT/sections.md"; : > "$SECTIONS"
run() { # run NAME COMMAND...: a missing benchmark script is reported, not fatal
  local name=$1; shift
  local script
  for script in "$@"; do [[ "$script" == bench/*/run.sh ]] && break; done
  if [[ ! -x "$script" ]]; then
    echo "## $name: not available ($script missing)" | tee -a "$SECTIONS"
    return 1
  fi
  echo "== $name: $*"
  local start=$SECONDS
  "$@" > "$OUT/$name.txt" 2>&1
  local rc=$?
  {
    echo "### $name"
    echo
    echo "Command: \`$*\` (exit $rc, $((SECONDS - start)) s). Last lines of [\`$name.txt\`]($name.txt):"
    echo
    echo '```'
    grep -v '^RESULT ' "$OUT/$name.txt" | tail -n 12
    echo '```'
    echo
  } >> "$SECTIONS"
  (( rc == 0 )) || echo "   $name failed (exit $rc), see $OUT/$name.txt"
  return 0
}

run create "${CREATE[@]}" && collect create
if (( ${#CREATE_4G[@]} )); then run create-4g "${CREATE_4G[@]}" && collect create-4g; fi
run tracker "${TRACKER[@]}" && collect tracker
run transfer "${TRANSFER[@]}" && collect transfer
run first-piece "${FIRST_PIECE[@]}" && collect first-piece
if (( ${#MEMORY[@]} )); then run memory "${MEMORY[@]}" && collect memory; fi
if (( ${#SEEDER_MEMORY[@]} )); then run seeder-memory "${SEEDER_MEMORY[@]}"; fi
run secure-streams "${SECURE[@]}" && collect secure-streams
run secure-transfer "${SECURE_TRANSFER[@]}" && collect secure-transfer
SWARM_LABEL=64MiB-6leechers # the swarm script's defaults
[[ " ${SWARM[*]} " =~ --size\ ([0-9]+) ]] && SWARM_LABEL=${BASH_REMATCH[1]}MiB-${SWARM_LABEL#*-}
[[ " ${SWARM[*]} " =~ --leechers\ ([0-9]+) ]] && SWARM_LABEL=${SWARM_LABEL%%-*}-${BASH_REMATCH[1]}leechers
for round in $(seq 1 $SWARM_ROUNDS); do # the swarm script runs one round; it is repeated here
  run "swarm-r$round" "${SWARM[@]}" && swarm_results "swarm-r$round" "$round" "$SWARM_LABEL"
done

run serve-vs-transmission "${MANY[@]}" && collect serve-vs-transmission

echo "== summary and charts"
"$JAVA" --source 21 bench/tools/Summary.java "$OUT" > "$OUT/summary.md" || echo "summary failed"
"$JAVA" --source 21 -Djava.awt.headless=true bench/tools/Charts.java "$OUT" > "$OUT/charts.txt" || echo "charts failed"

{
  echo "# Benchmark report $STAMP$( ((QUICK)) && echo ' (quick mode: small sizes, not for quoting)')"
  echo
  echo "Machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, Linux $(uname -r)."
  echo "Java: $("$JAVA" -version 2>&1 | head -1). aria2 $(aria2c --version | head -1 | awk '{print $3}'),"
  echo "libtorrent $(/usr/bin/python3 -c 'import libtorrent; print(libtorrent.__version__)' 2>/dev/null), $(mktorrent -h 2>/dev/null | head -1 | awk '{print $1, $2}'), opentracker (Debian)."
  echo "Load before the start: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg). Total time: $((SECONDS - T0)) s."
  echo
  if ((QUICK)); then
    echo "Quick mode: small sizes dominated by process start, 1 s tracker rounds after a 2 s warm-up,"
    echo "one swarm round with 3 leechers, no 1 or 4 GiB transfer (leecher RSS only at the small size),"
    echo "no tracker heap-per-peer or hot-path run."
    echo
  fi
  echo "Every ratio is ours / reference **per round** (both measured in the same round of the same run),"
  echo "summarised as min / median / max over the rounds. For times, memory and CPU, below 1 is"
  echo "better for us; for rates and throughput, above 1 is. See bench/README.md."
  echo
  echo "## Ratios"
  echo
  cat "$OUT/summary.md"
  echo
  echo "## Charts"
  echo
  while read -r png; do
    [[ -n "$png" ]] && echo "![${png%.png}](charts/$png)"
  done < "$OUT/charts.txt"
  echo
  echo "## Each benchmark"
  echo
  cat "$SECTIONS"
} > "$OUT/report.md"
rm -f "$SECTIONS"
echo "report: $OUT/report.md ($((SECONDS - T0)) s)"
