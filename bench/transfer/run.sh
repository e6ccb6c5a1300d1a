#!/usr/bin/env bash
# Loopback transfer benchmark (not a test): one seeder, one leecher, a random file, for
#   our node -> our node, aria2 -> aria2, libtorrent -> libtorrent (TCP only), and our nodes
#   again with platform threads for peer connections (`platform`: -Dsimplebt.peerThreads=platform,
#   reported as scenario threads-*, ours = virtual threads against it),
# at 256 KiB and 1 MiB pieces, several rounds with the clients' order rotating each round.
# Reports wall time from leecher start to leecher exit, payload rate and the leecher's peak RSS
# and CPU; then, per piece size, the medians and our time against the faster of the other two.
#
# Our nodes run with `--encryption off`: the node's default (`preferred`) would put node->node
# links through the secure channel, and this benchmark compares plain BitTorrent with plain
# BitTorrent. bench/secure-transfer measures what the secure channel costs.
#
# After the rounds, one more run of our leecher with Native Memory Tracking prints where its
# memory is, sampled when half the file is in (bench/tools/nmt_split.sh).
#
# usage: bench/transfer/run.sh [--size MiB] [--pieces "256k 1m"] [--rounds N] [--only "ours aria2 lt platform"] [--dir DIR]
# Prints RESULT lines (bench/lib.sh) for bench/run.sh and, with BENCH_RESULTS set, samples the
# leecher's file every 200 ms for the rate charts. Run on a quiet machine (uptime load < 1.5).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source bench/lib.sh
SIZE_MIB=1024
PIECES="256k 1m"
ROUNDS=3
ONLY="ours aria2 lt platform"
WORK=${TMPDIR:-/tmp}/simplebt-bench
while [[ $# -gt 0 ]]; do
  case $1 in
    --size) SIZE_MIB=$2; shift 2 ;;
    --pieces) PIECES=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --dir) WORK=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

[[ -f node.jar && -f build/jdk-home ]] || ./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
LT_PEER="$ROOT/src/test/resources/interop/lt_peer.py"
TRACKER_PY="$ROOT/bench/transfer/tracker.py"
SEED_PORT=${BENCH_SEED_PORT:-46881}
TRACKER_PORT=${BENCH_TRACKER_PORT:-46880}
PIDS=()
SP=""  # the seeder of the current round
cleanup() { sampler_stop; for p in "${PIDS[@]:-}" "$SP"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "transfer benchmark: ${SIZE_MIB} MiB, pieces $PIECES, $ROUNDS rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ours runs with --encryption off --no-dht on both nodes (plain BitTorrent, no DHT, like the others; see bench/secure-transfer)"
mkdir -p "$WORK/seed"
DATA="$WORK/seed/payload.bin"
if [[ ! -f "$DATA" || $(stat -c %s "$DATA") -ne $((SIZE_MIB << 20)) ]]; then
  echo "making a ${SIZE_MIB} MiB random file"
  head -c $((SIZE_MIB << 20)) /dev/urandom > "$DATA"
fi

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

rotate() { # rotate N WORDS...: the words, starting at the N-th (mod count)
  local n=$1; shift
  local words=("$@") i
  for ((i = 0; i < ${#words[@]}; i++)); do printf '%s ' "${words[(i + n) % ${#words[@]}]}"; done
}

TIMES="$WORK/times.txt"; : > "$TIMES"
for piece in $PIECES; do
  T="$WORK/payload-$piece.torrent"
  SCENARIO="transfer-${SIZE_MIB}MiB-$piece"
  "$JAVA" -jar node.jar create "$DATA" -o "$T" --piece-length "$piece" --tracker "http://127.0.0.1:$TRACKER_PORT/announce" --force > /dev/null
  "$PY" "$TRACKER_PY" $TRACKER_PORT $SEED_PORT & PIDS+=($!)
  wait_port $TRACKER_PORT # aria2 gives up on a refused announce and only retries much later
  for round in $(seq 1 "$ROUNDS"); do
    for who in $(rotate $((round - 1)) $ONLY); do
      OUT="$WORK/out-$who"; rm -rf "$OUT"; mkdir -p "$OUT"
      cat "$DATA" > /dev/null   # warm page cache
      case $who in
        ours|platform)
          FLAGS=(); [[ $who == platform ]] && FLAGS=(-Dsimplebt.peerThreads=platform)
          "$JAVA" "${FLAGS[@]}" -jar node.jar seed "$T" --data "$WORK/seed" --port $SEED_PORT --bind 127.0.0.1 --encryption off --no-dht --quiet > "$WORK/seeder.out" 2>&1 & SP=$!
          wait_port $SEED_PORT
          sampler_start "$OUT/payload.bin" "$SCENARIO.$who.r$round"
          r=$(run_leecher "$who" "$JAVA" "${FLAGS[@]}" -jar node.jar download "$T" --out "$OUT" --port 0 --bind 127.0.0.1 \
                --peer 127.0.0.1:$SEED_PORT --encryption off --no-dht --quiet) ;;
        aria2)
          aria2c --enable-dht=false --bt-enable-lpd=false --enable-peer-exchange=false --seed-ratio=0.0 \
            --bt-seed-unverified=true --listen-port=$SEED_PORT --dir="$WORK/seed" --bt-external-ip=127.0.0.1 \
            --console-log-level=warn --summary-interval=0 --no-conf=true --disable-ipv6=true "$T" > "$WORK/seeder.out" 2>&1 & SP=$!
          wait_port $SEED_PORT
          sampler_start "$OUT/payload.bin" "$SCENARIO.$who.r$round"
          r=$(run_leecher aria2 aria2c --enable-dht=false --bt-enable-lpd=false --enable-peer-exchange=false \
            --seed-time=0 --listen-port=$((SEED_PORT + 1)) --dir="$OUT" --bt-external-ip=127.0.0.1 --no-conf=true \
            --file-allocation=none --console-log-level=warn --summary-interval=0 --disable-ipv6=true "$T") ;;
        lt)
          /usr/bin/python3 "$LT_PEER" seed "$T" "$WORK/seed" $SEED_PORT > "$WORK/seeder.out" 2>&1 & SP=$!
          for _ in $(seq 1 600); do grep -q SEEDING "$WORK/seeder.out" && break; sleep 0.1; done
          sampler_start "$OUT/payload.bin" "$SCENARIO.$who.r$round"
          r=$(run_leecher lt /usr/bin/python3 "$LT_PEER" leech "$T" "$OUT" $((SEED_PORT + 1)) 127.0.0.1:$SEED_PORT) ;;
      esac
      sampler_stop
      kill $SP 2>/dev/null || true; wait $SP 2>/dev/null || true
      check_output "$OUT/payload.bin"
      read -r secs rss cpu <<<"$r"
      rate=$(echo "$SIZE_MIB / $secs" | bc -l)
      printf "round %d %-6s %-5s %8.2f s  %8.1f MiB/s  leecher max RSS %6d MiB  leecher CPU %6.2f s\n" "$round" "$who" "$piece" \
        "$secs" "$rate" $((rss / 1024)) "$cpu"
      role=ref; [[ $who == ours ]] && role=ours
      scenarios=("$SCENARIO")
      [[ $who == ours || $who == platform ]] && scenarios+=("threads-${SIZE_MIB}MiB-$piece")
      [[ $who == platform ]] && scenarios=("threads-${SIZE_MIB}MiB-$piece")
      for sc in "${scenarios[@]}"; do
        result "$sc" time "$who" $role "$round" "$(printf '%.3f' "$secs")" s lower
        result "$sc" rate "$who" $role "$round" "$(printf '%.1f' "$rate")" MiB/s higher
        result "$sc" leecher-rss "$who" $role "$round" $((rss / 1024)) MiB lower
        result "$sc" leecher-cpu "$who" $role "$round" "$(printf '%.2f' "$cpu")" s lower
      done
      echo "$piece $who $secs" >> "$TIMES"
      rm -rf "$OUT"
    done
  done
  if [[ " $ONLY " == *" ours "* ]]; then # where our leecher's memory is, half way through
    OUT="$WORK/out-nmt"; rm -rf "$OUT"; mkdir -p "$OUT"
    "$JAVA" -jar node.jar seed "$T" --data "$WORK/seed" --port $SEED_PORT --bind 127.0.0.1 --encryption off --no-dht --quiet > "$WORK/seeder.out" 2>&1 & SP=$!
    wait_port $SEED_PORT
    "$JAVA" -XX:NativeMemoryTracking=summary -jar node.jar download "$T" --out "$OUT" --port 0 --bind 127.0.0.1 \
      --peer 127.0.0.1:$SEED_PORT --encryption off --no-dht --quiet > "$WORK/leecher.out" 2>&1 & LP=$!
    while kill -0 $LP 2>/dev/null && (( $(du -k "$OUT/payload.bin" 2>/dev/null | cut -f1 || echo 0) < SIZE_MIB * 512 )); do sleep 0.2; done
    printf "ours %-5s leecher memory half way: %s\n" "$piece" "$(bench/tools/nmt_split.sh $LP 2>/dev/null || echo 'no NMT sample (finished too soon)')"
    wait $LP || true
    kill $SP 2>/dev/null || true; wait $SP 2>/dev/null || true
    rm -rf "$OUT"
  fi
  kill "${PIDS[-1]}" 2>/dev/null || true
done

echo
for piece in $PIECES; do
  med() { awk -v p="$piece" -v w="$1" '$1 == p && $2 == w {print $3}' "$TIMES" | sort -g \
          | awk '{v[NR] = $1} END {if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
  ours=$(med ours)
  [[ -n "$ours" ]] || continue
  best=""; best_who=""
  for other in aria2 lt; do
    t=$(med $other)
    [[ -n "$t" ]] || continue
    if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc -l) )); then best=$t; best_who=$other; fi
  done
  [[ -n "$best" ]] && printf "pieces %-5s (medians of %d rounds): ours %.2f s, faster other (%s) %.2f s -> ours is %.2fx as fast\n" \
    "$piece" "$ROUNDS" "$ours" "$best_who" "$best" "$(echo "$best / $ours" | bc -l)"
done
