#!/usr/bin/env bash
# Tracker benchmark (not a test): announces/s and p50/p99 latency against our tracker (--open)
# and opentracker in the same run, 10,000 torrents, compact, numwant=50, 64 clients, in the
# three ways clients reach a tracker:
#   http-ka     wrk, keep-alive connections (what our tracker could do; opentracker closes
#               every connection anyway, so its number is the same as http-close's)
#   http-close  wrk -H 'Connection: close': a new TCP connection per announce, as BitTorrent
#               clients do (they re-announce minutes apart)
#   udp         UdpLoad.java (BEP 15): 64 clients with one announce in flight each
# Then heap bytes per peer with 1,000,000 peers registered, and the CPU time of our own
# announce logic without HTTP.
#   bench/tracker/run.sh [SECONDS]   (default 10 s per tracker, style and round; 3 rounds after
#                                     a warm-up; the order of the two trackers alternates per round)
#   STYLES="http-close udp" measures only those; HOTPATH=0 skips the 20 s measurement of our
#   announce logic alone, WARMUP=S shortens the JIT warm-up (8 s) and PEERS=N the heap-per-peer
#   count (1,000,000; 0 skips it); bench/run.sh --quick uses them.
#   LIMITS=default runs our tracker with its default per-address peer limits (see below) and
#   counts the refusals.
#
# Per-address limits, honestly: every wrk connection comes from 127.0.0.1 and the workload
# announces 10 peers in each of 10,000 torrents, 100,000 peer entries from one address. Our
# tracker holds at most 8 entries per address in a torrent and 5,000 per address in all by
# default (--peer-limit 8/5000), so with the defaults all but ~5% of these announces are answered
# with a "failure reason" (cheap refusals, not announces). The benchmark therefore starts our
# tracker with the documented --peer-limit 10/1000000, which changes only those two counts;
# opentracker has no such limit. LIMITS=default shows the defaults' number and refusal share.
# Prints RESULT lines (bench/lib.sh) per round: announces/s, p50 and p99 latency.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
DURATION=${1:-10}
CONNECTIONS=64
TORRENTS=10000
STYLES=${STYLES:-http-ka http-close udp}
./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
WORK=$PWD/bench/work/tracker
rm -rf "$WORK"; mkdir -p "$WORK"; chmod 755 "$WORK"
for p in wrk opentracker; do command -v $p >/dev/null || { echo "bench: $p is not installed" >&2; exit 1; }; done
mkdir -p build/bench
"$(cat build/jdk-home)/bin/javac" --release 21 -cp build/main -d build/bench \
  bench/tracker/PeerMemory.java bench/tracker/HotPath.java bench/tracker/UdpLoad.java
BENCH_CP="build/main:build/bench:$(ls lib/gson-*.jar)"

# 10,000 info hashes, one hex per line: the load generators' input and opentracker's whitelist.
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

LIMIT_ARGS=(--peer-limit 10/1000000)
[[ "${LIMITS:-}" == default ]] && { LIMIT_ARGS=(); export COUNT_FAILURES=1; }
# UDP answers on the HTTP port's number (the default).
"$JAVA" ${TRACKER_JVM_OPTS:-} -jar tracker.jar --host 127.0.0.1 --port "$OUR_PORT" --data "$WORK/data" --open "${LIMIT_ARGS[@]}" \
  >"$WORK/ours.log" 2>&1 &
PIDS+=($!); OUR_PID=$!
# Debian's opentracker chroots into -d and drops root, so the whitelist path is inside $WORK.
cat >"$WORK/opentracker.conf" <<CONF
listen.tcp_udp 127.0.0.1:$OT_PORT
access.whitelist /whitelist.txt
CONF
opentracker -f "$WORK/opentracker.conf" -d "$WORK" >"$WORK/opentracker.log" 2>&1 &
PIDS+=($!); OT_PID=$!
for port in $OUR_PORT $OT_PORT; do
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/announce" && break; sleep 0.1; done
done

to_ms() { # wrk prints 1.23ms / 456.78us / 1.02s
  "$PY" -c "
import sys, re
v = sys.argv[1]; m = re.match(r'([0-9.]+)(us|ms|s)', v)
print('%.3f' % (float(m.group(1)) * {'us': 0.001, 'ms': 1, 's': 1000}[m.group(2)]))" "$1"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system time of a process, in 1/100 s
# measure STYLE PORT SECONDS OUT -> "rps p50 p99" on stdout; the tool's own output in OUT
measure() {
  local style=$1 port=$2 seconds=$3 out=$4
  case $style in
    http-ka|http-close)
      local header=()
      [[ $style == http-close ]] && header=(-H 'Connection: close')
      wrk -t2 -c$CONNECTIONS -d"${seconds}s" --latency "${header[@]}" \
        -s bench/tracker/announce.lua "http://127.0.0.1:$port" -- "$WORK/whitelist.txt" >"$out"
      echo "$(awk '/^Requests\/sec:/ {print $2}' "$out")" \
           "$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")" \
           "$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")" ;;
    udp)
      "$JAVA" -cp "$BENCH_CP" simplebt.tracker.UdpLoad "$port" "$seconds" $CONNECTIONS "$WORK/whitelist.txt" >"$out"
      awk '{print $1, $2, $3}' "$out" ;;
  esac
}

WARMUP=${WARMUP:-8}
echo "warm-up ($WARMUP s per style for the JVM's JIT, up to 3 s for opentracker; discarded)"
for style in $STYLES; do
  measure "$style" "$OUR_PORT" "$WARMUP" /dev/null >/dev/null 2>&1 || true
  measure "$style" "$OT_PORT" $((WARMUP < 3 ? WARMUP : 3)) /dev/null >/dev/null 2>&1 || true
done
ROUNDS=3
echo "measuring: $ROUNDS rounds of ${DURATION} s per tracker and style ($STYLES); $TORRENTS torrents, compact," \
  "numwant=50, $CONNECTIONS clients; load: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ ${#LIMIT_ARGS[@]} -gt 0 ]] && echo "our tracker runs with ${LIMIT_ARGS[*]} (per-address peer entries; see the header)"
printf '%-6s %-11s %-12s %12s %10s %10s %10s\n' round style tracker "announces/s" "p50 ms" "p99 ms" "CPU us/ann"
: >"$WORK/rounds.txt"
for round in $(seq $ROUNDS); do
  for style in $STYLES; do
    names=(simplebt opentracker)
    (( round % 2 == 0 )) && names=(opentracker simplebt)
    for name in "${names[@]}"; do
      port=$OUR_PORT; [[ $name == opentracker ]] && port=$OT_PORT
      pid=$OUR_PID; [[ $name == opentracker ]] && pid=$OT_PID
      before=$(cpu_ticks $pid)
      read -r rps p50 p99 < <(measure "$style" "$port" "$DURATION" "$WORK/$name.$style.$round.out")
      # The tracker's CPU time per announce: on a shared machine a steadier yardstick than the
      # rate, which depends on what else gets the cores.
      cpu=$("$PY" -c "import sys; print('%.1f' % ((int(sys.argv[2]) - int(sys.argv[1])) * 1e4 / max(1.0, float(sys.argv[3]) * $DURATION)))" \
        "$before" "$(cpu_ticks $pid)" "$rps")
      printf '%-6s %-11s %-12s %12.0f %10s %10s %10s\n' "$round" "$style" "$name" "$rps" "$p50" "$p99" "$cpu"
      echo "$round $style $name $rps $p50 $p99 $cpu" >>"$WORK/rounds.txt"
      tool=ours role=ours; [[ $name == opentracker ]] && tool=opentracker role=ref
      scenario=tracker-announce # keep-alive keeps the scenario name of earlier reports
      [[ $style == http-close ]] && scenario=tracker-announce-close
      [[ $style == udp ]] && scenario=tracker-udp
      result $scenario throughput $tool $role "$round" "$rps" announces/s higher
      result $scenario p50 $tool $role "$round" "$p50" ms lower
      result $scenario p99 $tool $role "$round" "$p99" ms lower
      result $scenario cpu-per-announce $tool $role "$round" "$cpu" us lower
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" - "$WORK/rounds.txt" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
styles = list(dict.fromkeys(r[1] for r in rows))
def get(rnd, style, name, col):
    return next(float(r[col]) for r in rows if r[0] == rnd and r[1] == style and r[2] == name)
rounds = sorted(set(r[0] for r in rows))
def med(style, name, col): return statistics.median(get(n, style, name, col) for n in rounds)
for s in styles:
    print('%-10s median simplebt %.0f/s (p50 %.2f, p99 %.2f ms)  opentracker %.0f/s (p50 %.2f, p99 %.2f ms)' % (
        s, med(s, 'simplebt', 3), med(s, 'simplebt', 4), med(s, 'simplebt', 5),
        med(s, 'opentracker', 3), med(s, 'opentracker', 4), med(s, 'opentracker', 5)))
    tp = [get(n, s, 'simplebt', 3) / get(n, s, 'opentracker', 3) for n in rounds]
    p99 = [get(n, s, 'simplebt', 5) / get(n, s, 'opentracker', 5) for n in rounds]
    print('%-10s ours/opentracker per round: rate %s (median %.2fx), p99 %s (median %.2fx; below 1 is better)' % (
        s, ' '.join('%.2f' % x for x in tp), statistics.median(tp), ' '.join('%.2f' % x for x in p99), statistics.median(p99)))
    cpu = [get(n, s, 'simplebt', 6) / get(n, s, 'opentracker', 6) for n in rounds]
    print('%-10s CPU per announce: simplebt %.1f us, opentracker %.1f us (ours/theirs per round %s)' % (
        s, med(s, 'simplebt', 6), med(s, 'opentracker', 6), ' '.join('%.2f' % x for x in cpu)))
if 'udp' in styles:
    for h in ('http-ka', 'http-close'):
        if h in styles:
            r = [get(n, 'udp', 'simplebt', 3) / get(n, h, 'simplebt', 3) for n in rounds]
            print('ours udp / ours %-10s per round: %s (median %.2fx)' % (h, ' '.join('%.2f' % x for x in r), statistics.median(r)))
PY
for f in "$WORK"/*.out; do # socket errors and non-2xx replies, if any (opentracker closes even keep-alive connections)
  case $f in
    *.udp.*) awk -v f="${f#$WORK/}" '$4 > 0 || $5 > 0 {print f ": " $4 " lost, " $5 " refused (BEP 15 errors)"}' "$f" ;;
    *) grep -H -E 'Non-2xx|Socket errors|failure replies' "$f" | sed "s|^$WORK/||" || true ;;
  esac
done
# One of the load's own peers (torrent 1, peer 0): a new peer id would be an 11th entry for this
# address in that torrent, which our tracker refuses by design.
SAMPLE="info_hash=$(head -1 "$WORK/whitelist.txt" | sed 's/\(..\)/%\1/g')&peer_id=-BN0001-000001000000&port=10000&left=0"
for port in $OUR_PORT $OT_PORT; do # both must have been answering announces, not refusing them
  if curl -s "http://127.0.0.1:$port/announce?$SAMPLE" | grep -q "failure reason"; then
    echo "warning: the tracker on port $port refused a benchmark announce; its numbers measure failures" >&2
  fi
done
cleanup; PIDS=()

PEERS=${PEERS:-1000000}
(( PEERS > 0 )) || exit 0
echo "heap per peer ($PEERS peers over $TORRENTS torrents):"
"$JAVA" -Xmx2g -cp "$BENCH_CP" simplebt.tracker.PeerMemory "$PEERS" | tee "$WORK/memory.txt"
per_peer=$(sed -n 's/^heap per peer: \([0-9.]*\) bytes.*/\1/p' "$WORK/memory.txt")
[[ -n "$per_peer" ]] && result tracker-memory heap-per-peer ours ours 1 "$per_peer" bytes lower
if [[ "${HOTPATH:-1}" != 0 ]]; then
  "$JAVA" -cp "$BENCH_CP" simplebt.tracker.HotPath
fi
