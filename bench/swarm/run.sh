#!/usr/bin/env bash
# Swarm benchmark (not a test): 1 seeder + N leechers (default 6) on one random file (default
# 64 MiB), all on 127.0.0.1 through one logging tracker (bench/swarm/tracker.py), for
#   ours  : node.jar seed + N x node.jar download
#   aria2 : aria2c seeder + N x aria2c leechers
# in the same run. Reports the time from starting the leechers until the last one has exited
# with the right bytes, and what the seeder reports as uploaded on its final ('stopped')
# announce, as a multiple of the file size (N would mean the leechers never traded).
# Our nodes run with --encryption off (plain BEP 3 like aria2; the default 'preferred' may use
# the secure channel between our nodes). For our leechers it also splits each one's time into
# JVM start (launch to its 'listening' line), transfer ('listening' to 'done') and exit.
#
# Prints RESULT lines (bench/lib.sh; ROUND=N sets their round, bench/run.sh repeats the script) and
# the ratio ours/aria2 of the two times from this run.
# usage: bench/swarm/run.sh [--size MiB] [--leechers N] [--piece 256k] [--only "ours aria2"] [--dir DIR]
#        NODE_JAR=/tmp/other-node.jar bench/swarm/run.sh ...   (another build of ours)
# Run on a quiet machine (uptime load < 1.5): this starts N+1 JVMs or aria2c processes at once.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source bench/lib.sh
SIZE_MIB=64
LEECHERS=6
PIECE=256k
ONLY="ours aria2"
WORK=${TMPDIR:-/tmp}/simplebt-bench-swarm
while [[ $# -gt 0 ]]; do
  case $1 in
    --leechers) LEECHERS=$2; shift 2 ;;
    *) bench_option "$@" || exit 2; shift 2 ;;
  esac
done

[[ -f node.jar && -f build/jdk-home ]] || ./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
NODE_JAR=${NODE_JAR:-node.jar}
TRACKER_PORT=47880
SEED_PORT=47881
FIRST_LEECH_PORT=47890
PIDS=()
trap kill_pids EXIT

echo "swarm benchmark: 1 seeder + $LEECHERS leechers, ${SIZE_MIB} MiB, pieces $PIECE, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "our nodes: --encryption off --no-dht (plain BitTorrent without DHT, as aria2 runs here)"
mkdir -p "$WORK/seed"
DATA="$WORK/seed/payload.bin"
random_payload "$DATA" "$SIZE_MIB"
T="$WORK/payload.torrent"
"$JAVA" -jar "$NODE_JAR" create "$DATA" -o "$T" --piece-length "$PIECE" --tracker "http://127.0.0.1:$TRACKER_PORT/announce" --force > /dev/null


ARIA=(aria2c --enable-dht=false --bt-enable-lpd=false --enable-peer-exchange=false --no-conf=true
      --disable-ipv6=true --bt-external-ip=127.0.0.1 --console-log-level=warn --summary-interval=0)

for who in $ONLY; do
  LOG="$WORK/announces-$who.log"; : > "$LOG"
  python3 "$ROOT/bench/swarm/tracker.py" $TRACKER_PORT "$LOG" & TP=$!; PIDS+=($TP)
  wait_port $TRACKER_PORT
  cat "$DATA" > /dev/null # page cache
  case $who in
    ours) "$JAVA" -jar "$NODE_JAR" seed "$T" --data "$WORK/seed" --port $SEED_PORT --bind 127.0.0.1 --quiet --encryption off --no-dht \
            > "$WORK/seeder-$who.out" 2>&1 & SP=$! ;;
    aria2) "${ARIA[@]}" --seed-ratio=0.0 --bt-seed-unverified=true --listen-port=$SEED_PORT --dir="$WORK/seed" "$T" \
            > "$WORK/seeder-$who.out" 2>&1 & SP=$! ;;
  esac
  PIDS+=($SP)
  wait_port $SEED_PORT
  sleep 1 # let the seeder's 'started' announce land first
  start=$(date +%s.%N)
  LP=()
  for ((i = 0; i < LEECHERS; i++)); do
    OUT="$WORK/out-$who-$i"; rm -rf "$OUT"; mkdir -p "$OUT"
    port=$((FIRST_LEECH_PORT + i))
    case $who in
      ours) echo "$start" > "$WORK/leech-$who-$i.out"
            # Each output line gets a timestamp, to split JVM start from transfer (see below).
            ( set +e
              "$JAVA" -jar "$NODE_JAR" download "$T" --out "$OUT" --port $port --bind 127.0.0.1 --encryption off --no-dht 2>&1 \
                | while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done >> "$WORK/leech-$who-$i.out"
              rc=$?; printf '%s exited\n' "$EPOCHREALTIME" >> "$WORK/leech-$who-$i.out"; exit $rc ) &
            LP+=($!) ;;
      aria2) "${ARIA[@]}" --seed-time=0 --listen-port=$port --dir="$OUT" --file-allocation=none "$T" \
              > "$WORK/leech-$who-$i.out" 2>&1 & LP+=($!) ;;
    esac
    PIDS+=(${LP[-1]})
  done
  failed=0
  for p in "${LP[@]}"; do wait "$p" || failed=1; done
  end=$(date +%s.%N)
  kill -TERM $SP; wait $SP 2>/dev/null || true
  sleep 1 # the seeder's 'stopped' announce
  kill $TP 2>/dev/null; wait $TP 2>/dev/null || true
  for ((i = 0; i < LEECHERS; i++)); do
    cmp -s "$DATA" "$WORK/out-$who-$i/payload.bin" || { echo "$who leecher $i: wrong or missing bytes" >&2; failed=1; }
    rm -rf "$WORK/out-$who-$i"
  done
  if [[ $who == ours ]]; then
    # per leecher: launch -> 'listening' (JVM start, torrent check), 'listening' -> 'done' (transfer), 'done' -> exit
    for ((i = 0; i < LEECHERS; i++)); do
      awk -v n=$i 'NR == 1 {t0 = $1} / listening on port / && !l {l = $1} / done: / && !d {d = $1} / exited$/ {x = $1}
        END {printf "  leecher %d: JVM start %5.2f s, transfer %5.2f s, exit %5.2f s (done at %5.2f s)\n", n, l - t0, d - l, x - d, d - t0}' \
        "$WORK/leech-$who-$i.out"
    done
  fi
  up=$(awk -v p=$SEED_PORT '$1 == p {u = $3} END {print u + 0}' "$LOG")
  secs=$(echo "$end - $start" | bc -l)
  printf "%-6s all %d complete in %7.2f s   seeder uploaded %6.1f MiB = %.2fx the file%s\n" "$who" "$LEECHERS" \
    "$secs" "$(echo "$up / 1048576" | bc -l)" "$(echo "$up / ($SIZE_MIB * 1048576)" | bc -l)" \
    "$([[ $failed == 0 ]] || echo '   (FAILED, see '"$WORK"')')"
  if [[ $failed == 0 ]]; then
    role=ref; [[ $who == ours ]] && role=ours
    scenario="swarm-${SIZE_MIB}MiB-${LEECHERS}leechers"
    result "$scenario" time-all-complete "$who" $role "${ROUND:-1}" "$(printf '%.2f' "$secs")" s lower
    result "$scenario" seeder-upload "$who" $role "${ROUND:-1}" "$(printf '%.2f' "$(echo "$up / ($SIZE_MIB * 1048576)" | bc -l)")" x-file lower
    declare "time_$who=$secs"
  fi
done
if [[ -n "${time_ours:-}" && -n "${time_aria2:-}" ]]; then
  printf "ours/aria2 time to all complete: %.2f (below 1: ours faster)\n" "$(echo "$time_ours / $time_aria2" | bc -l)"
fi
