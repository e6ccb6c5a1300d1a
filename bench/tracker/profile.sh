#!/usr/bin/env bash
# Where our tracker spends its time under one load style (not a benchmark: no reference, no
# ratios). Starts tracker.jar with JFR (method samples, allocation) and, when perf is there, a
# system-wide view of the tracker's threads (user vs kernel, JIT frames named through the JVM's
# perf map); runs the load of bench/tracker/run.sh for SECONDS after a warm-up; prints JFR's hot
# methods and allocation, and perf's top symbols per thread.
#   bench/tracker/profile.sh [http-close|http-ka|udp] [SECONDS]   (default http-close, 15 s)
# TRACKER_JVM_OPTS adds JVM options (e.g. -Dsun.net.httpserver.nodelay=false). Output and the
# recording stay in bench/work/tracker-profile/.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
STYLE=${1:-http-close}
SECONDS_=${2:-15}
./build.sh >/dev/null
JDK="$(cat build/jdk-home)"
WORK=$PWD/bench/work/tracker-profile
rm -rf "$WORK"; mkdir -p "$WORK"
mkdir -p build/bench
"$JDK/bin/javac" --release 21 -cp build/main -d build/bench bench/tracker/UdpLoad.java
"$PY" -c "
import hashlib
with open('$WORK/whitelist.txt', 'w') as f:
    for i in range(10000): f.write(hashlib.sha1(b'bench-%d' % i).hexdigest() + '\n')"
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$JDK/bin/java" -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer ${TRACKER_JVM_OPTS:-} \
  -jar tracker.jar --host 127.0.0.1 --port "$PORT" --data "$WORK/data" --open --peer-limit 10/1000000 >"$WORK/tracker.log" 2>&1 &
TRACKER=$!
trap 'kill $TRACKER 2>/dev/null || true' EXIT
wait_port "$PORT"
load() { # load SECONDS
  case $STYLE in
    http-ka) wrk -t2 -c64 -d"${1}s" --latency -s bench/tracker/announce.lua "http://127.0.0.1:$PORT" -- "$WORK/whitelist.txt" ;;
    http-close) wrk -t2 -c64 -d"${1}s" --latency -H 'Connection: close' -s bench/tracker/announce.lua \
                  "http://127.0.0.1:$PORT" -- "$WORK/whitelist.txt" ;;
    udp) "$JDK/bin/java" -cp build/main:build/bench simplebt.tracker.UdpLoad "$PORT" "$1" 64 "$WORK/whitelist.txt" ;;
  esac
}
load 8 >/dev/null # warm-up: the JIT, the swarms
"$JDK/bin/jcmd" $TRACKER JFR.start name=p settings=profile filename="$WORK/rec.jfr" >/dev/null
PERF=()
if command -v perf >/dev/null && perf record -o /dev/null -- true >/dev/null 2>&1; then
  perf record -F 499 -g -p $TRACKER -o "$WORK/perf.data" -- sleep "$SECONDS_" >/dev/null 2>&1 &
  PERF=($!)
fi
echo "load during the recording: $(cut -d' ' -f1-3 /proc/loadavg)"
load "$SECONDS_" | grep -E 'Requests/sec|99%|^[0-9]'
"$JDK/bin/jcmd" $TRACKER JFR.stop name=p >/dev/null
(( ${#PERF[@]} )) && wait "${PERF[0]}" || true
kill $TRACKER; wait $TRACKER 2>/dev/null || true # the perf map is written at exit
trap - EXIT
"$JDK/bin/jfr" view --width 160 hot-methods "$WORK/rec.jfr" | head -30
"$JDK/bin/jfr" view --width 160 allocation-by-class "$WORK/rec.jfr" | head -20
if [[ -f "$WORK/perf.data" ]]; then
  echo "perf: share of the tracker's samples by thread"
  perf report -i "$WORK/perf.data" --no-children --sort comm --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -12
  echo "perf: top symbols (kernel and JIT) over all threads"
  perf report -i "$WORK/perf.data" --no-children --sort comm,sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -40
fi
