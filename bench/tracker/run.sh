#!/usr/bin/env bash
# Tracker benchmark (not a test): announces/s and p50/p99 latency with wrk against our
# tracker (--open) and opentracker in the same run, 10,000 torrents, compact, numwant=50,
# 64 connections; then heap bytes per peer with 1,000,000 peers registered, and the CPU
# time of our own announce logic without HTTP.
#   bench/tracker/run.sh [SECONDS]   (default 10 s per tracker and round, 3 interleaved rounds,
#                                     after a warm-up; the medians and their ratio are the result)
#   HOTPATH=0 skips the 20 s measurement of our announce logic alone, WARMUP=S shortens the JIT
#   warm-up (8 s) and PEERS=N the heap-per-peer count (1,000,000; 0 skips it); bench/run.sh --quick
#   uses them.
# Prints RESULT lines (bench/lib.sh) per round: announces/s, p50 and p99 latency.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
DURATION=${1:-10}
CONNECTIONS=64
TORRENTS=10000
./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
WORK=$PWD/bench/work/tracker
rm -rf "$WORK"; mkdir -p "$WORK"; chmod 755 "$WORK"
for p in wrk opentracker; do command -v $p >/dev/null || { echo "bench: $p is not installed" >&2; exit 1; }; done

# 10,000 info hashes, one hex per line: the wrk script's input and opentracker's whitelist.
"$PY" -c "
import hashlib
with open('$WORK/whitelist.txt', 'w') as f:
    for i in range($TORRENTS): f.write(hashlib.sha1(b'bench-%d' % i).hexdigest() + '\n')"
chmod 644 "$WORK/whitelist.txt"

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
OUR_PORT=$(free_port); OT_PORT=$(free_port)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

"$JAVA" -jar tracker.jar --host 127.0.0.1 --port "$OUR_PORT" --data "$WORK/data" --open --peer-limit 10/1000000 >"$WORK/ours.log" 2>&1 &
PIDS+=($!)
# Debian's opentracker chroots into -d and drops root, so the whitelist path is inside $WORK.
cat >"$WORK/opentracker.conf" <<CONF
listen.tcp_udp 127.0.0.1:$OT_PORT
access.whitelist /whitelist.txt
CONF
opentracker -f "$WORK/opentracker.conf" -d "$WORK" >"$WORK/opentracker.log" 2>&1 &
PIDS+=($!)
for port in $OUR_PORT $OT_PORT; do
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/announce" && break; sleep 0.1; done
done

run_wrk() { # run_wrk PORT SECONDS -> wrk output
  wrk -t2 -c$CONNECTIONS -d"${2}s" --latency -s bench/tracker/announce.lua "http://127.0.0.1:$1" -- "$WORK/whitelist.txt"
}
to_ms() { # wrk prints 1.23ms / 456.78us / 1.02s
  "$PY" -c "
import sys, re
v = sys.argv[1]; m = re.match(r'([0-9.]+)(us|ms|s)', v)
print('%.3f' % (float(m.group(1)) * {'us': 0.001, 'ms': 1, 's': 1000}[m.group(2)]))" "$1"
}
summary() { # summary NAME FILE -> "rps p50 p99" on stdout
  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$2")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$2")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$2")")
  echo "$rps $p50 $p99"
}

WARMUP=${WARMUP:-8}
echo "warm-up ($WARMUP s for the JVM's JIT, 3 s for opentracker; discarded)"
run_wrk "$OUR_PORT" "$WARMUP" >/dev/null
run_wrk "$OT_PORT" $((WARMUP < 3 ? WARMUP : 3)) >/dev/null
ROUNDS=3
echo "measuring: $ROUNDS interleaved rounds of ${DURATION} s per tracker; $TORRENTS torrents, compact, numwant=50, $CONNECTIONS connections, wrk -t2"
printf '%-6s %-12s %12s %10s %10s\n' round tracker "announces/s" "p50 ms" "p99 ms"
: >"$WORK/rounds.txt"
for round in $(seq $ROUNDS); do
  for name in simplebt opentracker; do
    port=$OUR_PORT; [[ $name == opentracker ]] && port=$OT_PORT
    run_wrk "$port" "$DURATION" >"$WORK/$name.$round.wrk"
    read -r rps p50 p99 < <(summary "$name" "$WORK/$name.$round.wrk")
    printf '%-6s %-12s %12.0f %10s %10s\n' "$round" "$name" "$rps" "$p50" "$p99"
    echo "$round $name $rps $p50 $p99" >>"$WORK/rounds.txt"
    tool=ours role=ours; [[ $name == opentracker ]] && tool=opentracker role=ref
    result tracker-announce throughput $tool $role "$round" "$rps" announces/s higher
    result tracker-announce p50 $tool $role "$round" "$p50" ms lower
    result tracker-announce p99 $tool $role "$round" "$p99" ms lower
  done
done
"$PY" - "$WORK/rounds.txt" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
def med(name, col): return statistics.median(float(r[col]) for r in rows if r[1] == name)
ours, ot = med('simplebt', 2), med('opentracker', 2)
print('median     simplebt %.0f/s (p50 %.2f ms, p99 %.2f ms)   opentracker %.0f/s (p50 %.2f ms, p99 %.2f ms)' % (
    ours, med('simplebt', 3), med('simplebt', 4), ot, med('opentracker', 3), med('opentracker', 4)))
print('throughput ratio simplebt/opentracker: %.2fx (per round: %s)' % (ours / ot, ', '.join(
    '%.2f' % (float(a[2]) / float(b[2])) for a, b in zip(rows[0::2], rows[1::2]))))
PY
grep -h -E 'Non-2xx|Socket errors' "$WORK"/opentracker.1.wrk | sed 's/^/opentracker (1st round): /' || true
SAMPLE="info_hash=$(head -1 "$WORK/whitelist.txt" | sed 's/\(..\)/%\1/g')&peer_id=-BN0001-000000000000&port=1&left=0"
for port in $OUR_PORT $OT_PORT; do # both must have been answering announces, not refusing them
  if curl -s "http://127.0.0.1:$port/announce?$SAMPLE" | grep -q "failure reason"; then
    echo "warning: the tracker on port $port refused a benchmark hash; its numbers measure failures" >&2
  fi
done
cleanup; PIDS=()

PEERS=${PEERS:-1000000}
(( PEERS > 0 )) || exit 0
echo "heap per peer ($PEERS peers over $TORRENTS torrents):"
mkdir -p build/bench
"$(cat build/jdk-home)/bin/javac" --release 21 -cp build/main -d build/bench bench/tracker/PeerMemory.java bench/tracker/HotPath.java
BENCH_CP="build/main:build/bench:$(ls lib/gson-*.jar)"
"$JAVA" -Xmx2g -cp "$BENCH_CP" simplebt.tracker.PeerMemory "$PEERS" | tee "$WORK/memory.txt"
per_peer=$(sed -n 's/^heap per peer: \([0-9.]*\) bytes.*/\1/p' "$WORK/memory.txt")
[[ -n "$per_peer" ]] && result tracker-memory heap-per-peer ours ours 1 "$per_peer" bytes lower
if [[ "${HOTPATH:-1}" != 0 ]]; then
  "$JAVA" -cp "$BENCH_CP" simplebt.tracker.HotPath
fi
