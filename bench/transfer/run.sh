#!/usr/bin/env bash
# Loopback transfer benchmark (not a test): one seeder, one leecher, a random file, for
#   our node -> our node, aria2 -> aria2, libtorrent -> libtorrent (TCP only),
# at 256 KiB and 1 MiB pieces. Reports wall time from leecher start to leecher exit, payload
# rate and the leecher's max RSS, then our time against the faster of the other two.
#
# usage: bench/transfer/run.sh [--size MiB] [--pieces "256k 1m"] [--only "ours aria2 lt"] [--dir DIR]
# Run on a quiet machine (uptime load < 1.5); page cache is warmed before each run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SIZE_MIB=1024
PIECES="256k 1m"
ONLY="ours aria2 lt"
WORK=${TMPDIR:-/tmp}/simplebt-bench
while [[ $# -gt 0 ]]; do
  case $1 in
    --size) SIZE_MIB=$2; shift 2 ;;
    --pieces) PIECES=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --dir) WORK=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

[[ -f node.jar && -f build/jdk-home ]] || ./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
LT_PEER="$ROOT/src/test/resources/interop/lt_peer.py"
TRACKER_PY="$ROOT/bench/transfer/tracker.py"
SEED_PORT=46881
TRACKER_PORT=46880
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "load: $(uptime | sed 's/.*load average: //')"
mkdir -p "$WORK/seed"
DATA="$WORK/seed/payload.bin"
if [[ ! -f "$DATA" || $(stat -c %s "$DATA") -ne $((SIZE_MIB << 20)) ]]; then
  echo "making a ${SIZE_MIB} MiB random file"
  head -c $((SIZE_MIB << 20)) /dev/urandom > "$DATA"
fi

wait_port() { # wait until something listens on 127.0.0.1:$1
  for _ in $(seq 1 600); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listening on $1" >&2; return 1
}

# run_leecher NAME CMD... : times the leecher, prints "seconds rss_kib cpu_seconds"
run_leecher() {
  local log="$WORK/$1.time"; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$log" "$@" > "$WORK/leecher.out" 2>&1 || { echo "leecher failed:" >&2; tail -20 "$WORK/leecher.out" >&2; return 1; }
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc -l) $(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$log") \
    $(awk -F: '/User time|System time/ {s += $2} END {print s}' "$log")"
}

check_output() { # the leecher's copy must be the seeder's bytes
  cmp -s "$DATA" "$1" || { echo "downloaded file differs from the original!" >&2; exit 1; }
}

declare -A RESULT
for piece in $PIECES; do
  T="$WORK/payload-$piece.torrent"
  "$JAVA" -jar node.jar create "$DATA" -o "$T" --piece-length "$piece" --tracker "http://127.0.0.1:$TRACKER_PORT/announce" --force > /dev/null
  python3 "$TRACKER_PY" $TRACKER_PORT $SEED_PORT & PIDS+=($!)
  for who in $ONLY; do
    OUT="$WORK/out-$who"; rm -rf "$OUT"; mkdir -p "$OUT"
    cat "$DATA" > /dev/null   # warm page cache
    case $who in
      ours)
        "$JAVA" -jar node.jar seed "$T" --data "$WORK/seed" --port $SEED_PORT --bind 127.0.0.1 --quiet > "$WORK/seeder.out" 2>&1 & SP=$!
        wait_port $SEED_PORT
        r=$(run_leecher ours "$JAVA" -jar node.jar download "$T" --out "$OUT" --port 0 --bind 127.0.0.1 --peer 127.0.0.1:$SEED_PORT --quiet) ;;
      aria2)
        aria2c --enable-dht=false --bt-enable-lpd=false --enable-peer-exchange=false --seed-ratio=0.0 \
          --bt-seed-unverified=true --listen-port=$SEED_PORT --dir="$WORK/seed" --bt-external-ip=127.0.0.1 \
          --console-log-level=warn --summary-interval=0 --no-conf=true --disable-ipv6=true "$T" > "$WORK/seeder.out" 2>&1 & SP=$!
        wait_port $SEED_PORT
        r=$(run_leecher aria2 aria2c --enable-dht=false --bt-enable-lpd=false --enable-peer-exchange=false \
          --seed-time=0 --listen-port=$((SEED_PORT + 1)) --dir="$OUT" --bt-external-ip=127.0.0.1 --no-conf=true \
          --file-allocation=none --console-log-level=warn --summary-interval=0 --disable-ipv6=true "$T") ;;
      lt)
        /usr/bin/python3 "$LT_PEER" seed "$T" "$WORK/seed" $SEED_PORT > "$WORK/seeder.out" 2>&1 & SP=$!
        for _ in $(seq 1 600); do grep -q SEEDING "$WORK/seeder.out" && break; sleep 0.1; done
        r=$(run_leecher lt /usr/bin/python3 "$LT_PEER" leech "$T" "$OUT" $((SEED_PORT + 1)) 127.0.0.1:$SEED_PORT) ;;
    esac
    kill $SP 2>/dev/null || true; wait $SP 2>/dev/null || true
    check_output "$OUT/payload.bin"
    RESULT[$who-$piece]=$r
    read -r secs rss cpu <<<"$r"
    printf "%-6s %-5s %8.2f s  %8.1f MiB/s  leecher max RSS %6d MiB  leecher CPU %6.2f s\n" "$who" "$piece" "$secs" \
      "$(echo "$SIZE_MIB / $secs" | bc -l)" $((rss / 1024)) "$cpu"
    rm -rf "$OUT"
  done
  kill "${PIDS[-1]}" 2>/dev/null || true
done

echo
for piece in $PIECES; do
  [[ -n "${RESULT[ours-$piece]:-}" ]] || continue
  ours=$(echo "${RESULT[ours-$piece]}" | cut -d' ' -f1)
  best=""
  for other in aria2 lt; do
    [[ -n "${RESULT[$other-$piece]:-}" ]] || continue
    t=$(echo "${RESULT[$other-$piece]}" | cut -d' ' -f1)
    if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  [[ -n "$best" ]] && printf "pieces %-5s: ours %.2f s, faster other %.2f s -> ours is %.2fx faster\n" "$piece" "$ours" "$best" "$(echo "$best / $ours" | bc -l)"
done
