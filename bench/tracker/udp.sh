#!/usr/bin/env bash
# UDP tracker benchmark (not a test): announces/s and p50/p99 over UDP (BEP 15, UdpLoad.java,
# 64 clients with one announce in flight each) against our tracker and opentracker, next to our
# HTTP rate (wrk, keep-alive, 64 connections), same 10,000 torrents, same run.
#   bench/tracker/udp.sh [SECONDS]   (default 10 s per measurement, 3 interleaved rounds)
# Prints RESULT lines (bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
DURATION=${1:-10}
CLIENTS=64
TORRENTS=10000
./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
PY=/usr/bin/python3
WORK=$PWD/bench/work/tracker-udp
rm -rf "$WORK"; mkdir -p "$WORK"; chmod 755 "$WORK"
for p in wrk opentracker; do command -v $p >/dev/null || { echo "bench: $p is not installed" >&2; exit 1; }; done
"$PY" -c "
import hashlib
with open('$WORK/whitelist.txt', 'w') as f:
    for i in range($TORRENTS): f.write(hashlib.sha1(b'bench-%d' % i).hexdigest() + '\n')"
chmod 644 "$WORK/whitelist.txt"
mkdir -p build/bench
"$(cat build/jdk-home)/bin/javac" --release 21 -cp build/main -d build/bench bench/tracker/UdpLoad.java
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
OUR_PORT=$(free_port); OT_PORT=$(free_port)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
"$JAVA" -jar tracker.jar --host 127.0.0.1 --port "$OUR_PORT" --data "$WORK/data" --open >"$WORK/ours.log" 2>&1 &
PIDS+=($!)
cat >"$WORK/opentracker.conf" <<CONF
listen.tcp_udp 127.0.0.1:$OT_PORT
access.whitelist /whitelist.txt
CONF
opentracker -f "$WORK/opentracker.conf" -d "$WORK" >"$WORK/opentracker.log" 2>&1 &
PIDS+=($!)
for port in $OUR_PORT $OT_PORT; do
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/announce" && break; sleep 0.1; done
done
udp() { "$JAVA" -cp build/main:build/bench simplebt.tracker.UdpLoad "$1" "$2" $CLIENTS "$WORK/whitelist.txt"; }
http() { wrk -t2 -c$CLIENTS -d"${2}s" -s bench/tracker/announce.lua "http://127.0.0.1:$1" -- "$WORK/whitelist.txt" \
  | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }
echo "warm-up (8 s each, discarded)"
udp "$OUR_PORT" 8 >/dev/null; http "$OUR_PORT" 8 >/dev/null; udp "$OT_PORT" 3 >/dev/null
printf '%-6s %-22s %12s %10s %10s %6s\n' round what "announces/s" "p50 ms" "p99 ms" lost
: >"$WORK/rounds.txt"
for round in 1 2 3; do
  read -r rps p50 p99 lost < <(udp "$OUR_PORT" "$DURATION")
  printf '%-6s %-22s %12.0f %10s %10s %6s\n' "$round" "simplebt udp" "$rps" "$p50" "$p99" "$lost"
  result tracker-udp throughput ours ours "$round" "$rps" announces/s higher
  result tracker-udp p99 ours ours "$round" "$p99" ms lower
  echo "$round ours-udp $rps" >>"$WORK/rounds.txt"
  read -r rps p50 p99 lost < <(udp "$OT_PORT" "$DURATION")
  printf '%-6s %-22s %12.0f %10s %10s %6s\n' "$round" "opentracker udp" "$rps" "$p50" "$p99" "$lost"
  result tracker-udp throughput opentracker ref "$round" "$rps" announces/s higher
  result tracker-udp p99 opentracker ref "$round" "$p99" ms lower
  echo "$round ot-udp $rps" >>"$WORK/rounds.txt"
  rps=$(http "$OUR_PORT" "$DURATION")
  printf '%-6s %-22s %12.0f\n' "$round" "simplebt http (k-a)" "$rps"
  result tracker-udp http-throughput ours ours "$round" "$rps" announces/s higher
  echo "$round ours-http $rps" >>"$WORK/rounds.txt"
done
"$PY" - "$WORK/rounds.txt" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
med = lambda k: statistics.median(float(r[2]) for r in rows if r[1] == k)
u, o, h = med('ours-udp'), med('ot-udp'), med('ours-http')
print('median  simplebt udp %.0f/s, opentracker udp %.0f/s (ratio %.2fx), simplebt http %.0f/s (udp/http %.2fx)' % (u, o, u / o, h, u / h))
PY
