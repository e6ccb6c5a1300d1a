#!/usr/bin/env bash
# The seeder's side of a loopback transfer (not a test): our seeder -> our leecher, 1 GiB,
# `--encryption off --no-tracker --no-dht`, and the seeder's CPU (user, system) from the
# leecher's start to its exit, read from /proc, beside the leecher's. With --perf, the seeder
# is sampled meanwhile (perf record -g, WORK/LABEL.perf.data; JIT frames need the seeder flags
# -XX:+UnlockDiagnosticVMOptions -XX:+PreserveFramePointer and a perf map); with --stat, perf stat
# on both processes: context switches, and the system calls behind the thread hand-offs (futex
# wakes, epoll waits, reads and writes, and those that found the socket empty or full: EAGAIN,
# after which a virtual thread parks until the poller wakes it); with --strace, strace -c
# (system calls per block).
#
# usage: bench/profile/seeder.sh [--size MiB] [--piece 256k] [--label NAME] [--jar node.jar]
#          [--perf|--stat|--strace] [--seeder-flags "JVM flags"] [--dir DIR]
# e.g. A/B of a JVM option on the seeder: --label base; then --label other --seeder-flags -Dsimplebt.peerThreads=platform
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
SIZE_MIB=1024
PIECE=256k
LABEL=run
JAR=node.jar
MODE=none
SEEDER_FLAGS=""
WORK=${TMPDIR:-/tmp}/simplebt-seeder
while [[ $# -gt 0 ]]; do
  case $1 in
    --size) SIZE_MIB=$2; shift 2 ;;
    --piece) PIECE=$2; shift 2 ;;
    --label) LABEL=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    --perf) MODE=perf; shift ;;
    --stat) MODE=stat; shift ;;
    --strace) MODE=strace; shift ;;
    --seeder-flags) SEEDER_FLAGS=$2; shift 2 ;;
    --dir) WORK=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -f node.jar && -f build/jdk-home ]] || ./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
PORT=46991
SP=""; PP=""
trap '[[ -n "$PP" ]] && kill "$PP" 2>/dev/null; [[ -n "$SP" ]] && kill "$SP" 2>/dev/null || true' EXIT
mkdir -p "$WORK/seed"
DATA="$WORK/seed/payload.bin"
if [[ ! -f "$DATA" || $(stat -c %s "$DATA") -ne $((SIZE_MIB << 20)) ]]; then
  head -c $((SIZE_MIB << 20)) /dev/urandom > "$DATA"
fi
T="$WORK/payload-$PIECE.torrent"
"$JAVA" -jar "$JAR" create "$DATA" -o "$T" --piece-length "$PIECE" --tracker http://127.0.0.1:9/announce --force > /dev/null
# shellcheck disable=SC2086
"$JAVA" $SEEDER_FLAGS -jar "$JAR" seed "$T" --data "$WORK/seed" --port $PORT --bind 127.0.0.1 --no-tracker \
  --encryption off --no-dht --quiet > "$WORK/seeder.out" 2>&1 & SP=$!
wait_port $PORT
cat "$DATA" > /dev/null
sleep 0.5 # the seeder's start-up is not the transfer's
# -11: EAGAIN (the socket had nothing to read, or no room to write)
STAT_EVENTS=(-e task-clock -e context-switches -e syscalls:sys_enter_futex -e syscalls:sys_enter_epoll_wait
  -e syscalls:sys_enter_read -e syscalls:sys_exit_read --filter 'ret == -11'
  -e syscalls:sys_enter_write -e syscalls:sys_exit_write --filter 'ret == -11' -e syscalls:sys_enter_pread64)
LEECHER_STAT=()
[[ $MODE == stat ]] && LEECHER_STAT=(perf stat "${STAT_EVENTS[@]}" -o "$WORK/$LABEL.leecher.stat")
cpu() { awk '{print $14, $15}' "/proc/$1/stat"; }
read -r u0 s0 <<<"$(cpu $SP)"
case $MODE in
  perf) perf record -F 999 -g -p $SP -o "$WORK/$LABEL.perf.data" 2>/dev/null & PP=$! ;;
  stat) perf stat ${PER_THREAD:+--per-thread} "${STAT_EVENTS[@]}" -p $SP -o "$WORK/$LABEL.stat" 2>/dev/null & PP=$! ;;
  strace) strace -f -c -p $SP -o "$WORK/$LABEL.strace" 2>/dev/null & PP=$! ;;
esac
[[ -n "$PP" ]] && sleep 0.3
OUT="$WORK/out"; rm -rf "$OUT"; mkdir -p "$OUT"
start=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o "$WORK/leecher.time" "${LEECHER_STAT[@]}" "$JAVA" -jar "$JAR" download "$T" --out "$OUT" --port 0 \
  --bind 127.0.0.1 --no-tracker --peer 127.0.0.1:$PORT --encryption off --no-dht --quiet > "$WORK/leecher.out" 2>&1
end=$(date +%s.%N)
read -r u1 s1 <<<"$(cpu $SP)"
if [[ -n "$PP" ]]; then kill -INT $PP; wait $PP || true; PP=""; fi
kill $SP; wait $SP 2>/dev/null || true; SP=""
cmp -s "$DATA" "$OUT/payload.bin" || { echo "downloaded file differs" >&2; exit 1; }
rm -rf "$OUT"
tck=$(getconf CLK_TCK)
read -r lu ls < "$WORK/leecher.time"
printf "%s: %d MiB, pieces %s: %.2f s; seeder user %.2f sys %.2f s; leecher user %.2f sys %.2f s (load %s)\n" "$LABEL" \
  "$SIZE_MIB" "$PIECE" "$(echo "$end - $start" | bc -l)" "$(echo "($u1 - $u0) / $tck" | bc -l)" \
  "$(echo "($s1 - $s0) / $tck" | bc -l)" "$lu" "$ls" "$(cut -d' ' -f1-3 /proc/loadavg)"
if [[ $MODE == stat ]]; then # sys_exit_*: those that returned EAGAIN
  for side in seeder leecher; do
    f="$WORK/$LABEL.stat"; [[ $side == leecher ]] && f="$WORK/$LABEL.leecher.stat"
    echo "$side: $(awk '$2 ~ /context-switches|syscalls:/ {gsub(/syscalls:sys_/, "", $2); printf "%s %s, ", $2, $1}' "$f")"
  done
fi
[[ $MODE == strace ]] && head -12 "$WORK/$LABEL.strace" || true
