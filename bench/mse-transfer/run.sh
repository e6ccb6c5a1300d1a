#!/usr/bin/env bash
# What MSE's RC4 costs (not a test): our node and libtorrent on loopback, one file, 1 MiB pieces,
# both directions, libtorrent with encryption forced and RC4 only (`rc4`) against libtorrent with
# encryption disabled (`plain`). Our node always runs in its default `--encryption preferred`:
# with `plain`, libtorrent refuses MSE, so the link is plain BitTorrent, the path that must not
# get slower. Prints per run the wall time and the CPU seconds of each process, then medians.
#
# Wall time of the direction where our node downloads includes about 5 s of waiting: our node
# dials a --peer with our secure greeting first and gives up on it after its handshake timeout
# (libtorrent waits silently for the rest of what it takes for an MSE key); that costs no CPU.
#
# usage: bench/mse-transfer/run.sh [--size MiB] [--rounds N] [--dir DIR]
# Run on a quiet machine (uptime load < 1.5) or say that it was not.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source bench/lib.sh
SIZE_MIB=256
ROUNDS=3
WORK=${TMPDIR:-/tmp}/simplebt-bench-mse
while [[ $# -gt 0 ]]; do
  bench_option "$@" || exit 2; shift 2
done

[[ -f node.jar && -f build/jdk-home ]] || ./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
LT_PEER="$ROOT/src/test/resources/interop/lt_peer.py"
# listen_port_of PID: the TCP port PID listens on (the node moves to the next port when its own is
# taken, which another job on the machine may do between free_port and the bind)
listen_port_of() {
  local p
  for _ in $(seq 1 600); do
    p=$(ss -tlnpH 2>/dev/null | grep "pid=$1," | awk '{print $4}' | sed 's/.*://' | head -1)
    [[ -n $p ]] && { echo "$p"; return; }
    sleep 0.1
  done
  echo "process $1 never listened" >&2; exit 1
}
SP=""
cleanup() { [[ -n "$SP" ]] && kill "$SP" 2>/dev/null || true; }
trap cleanup EXIT

echo "mse transfer benchmark: ${SIZE_MIB} MiB, $ROUNDS rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$WORK/seed"
DATA="$WORK/seed/payload.bin"
random_payload "$DATA" "$SIZE_MIB"
T="$WORK/payload.torrent"
"$JAVA" -jar node.jar create "$DATA" -o "$T" --piece-length 1m --force > /dev/null

lt_flag() { [[ $1 == rc4 ]] && echo --forced-rc4 || echo --no-encryption; }

# node seeds, libtorrent downloads (it dials us); prints "seconds node_cpu lt_cpu"
node_to_lt() {
  local mode=$1 port out="$WORK/out"
  port=$(free_port); rm -rf "$out"; mkdir -p "$out"; cat "$DATA" > /dev/null
  "$JAVA" -jar node.jar seed "$T" --data "$WORK/seed" --port "$port" --bind 127.0.0.1 --no-tracker \
    --encryption preferred --quiet > "$WORK/node.out" 2>&1 & SP=$!
  port=$(listen_port_of "$SP")
  local start end
  start=$(date +%s.%N)
  timeout 900 /usr/bin/time -v -o "$WORK/lt.time" /usr/bin/python3 "$LT_PEER" "$(lt_flag "$mode")" leech "$T" "$out" \
    "$(free_port)" "127.0.0.1:$port" > "$WORK/lt.out" 2>&1 || { echo "libtorrent failed" >&2; tail "$WORK/lt.out" >&2; exit 1; }
  end=$(date +%s.%N)
  local node_cpu; node_cpu=$(cpu_of_pid "$SP")
  kill "$SP"; wait "$SP" 2>/dev/null || true; SP=""
  cmp -s "$DATA" "$out/payload.bin" || { echo "libtorrent's copy differs" >&2; exit 1; }
  echo "$(echo "$end - $start" | bc -l) $node_cpu $(cpu_of_time "$WORK/lt.time")"
}

# libtorrent seeds, node downloads (it dials libtorrent as --peer)
lt_to_node() {
  local mode=$1 port out="$WORK/out"
  port=$(free_port); rm -rf "$out"; mkdir -p "$out"; cat "$DATA" > /dev/null
  /usr/bin/python3 "$LT_PEER" "$(lt_flag "$mode")" seed "$T" "$WORK/seed" "$port" > "$WORK/lt.out" 2>&1 & SP=$!
  for _ in $(seq 1 600); do grep -q SEEDING "$WORK/lt.out" && break; sleep 0.1; done
  port=$(sed -n 's/^LISTENING //p' "$WORK/lt.out")
  local start end
  start=$(date +%s.%N)
  timeout 900 /usr/bin/time -v -o "$WORK/node.time" "$JAVA" -jar node.jar download "$T" --out "$out" --port 0 \
    --bind 127.0.0.1 --no-tracker --encryption preferred --peer "127.0.0.1:$port" --quiet > "$WORK/node.out" 2>&1 \
    || { echo "node failed" >&2; tail "$WORK/node.out" >&2; exit 1; }
  end=$(date +%s.%N)
  local lt_cpu; lt_cpu=$(cpu_of_pid "$SP")
  kill "$SP"; wait "$SP" 2>/dev/null || true; SP=""
  cmp -s "$DATA" "$out/payload.bin" || { echo "our copy differs" >&2; exit 1; }
  echo "$(echo "$end - $start" | bc -l) $(cpu_of_time "$WORK/node.time") $lt_cpu"
}

declare -A NODE LT SECS
for round in $(seq 1 "$ROUNDS"); do
  for dir in node_to_lt lt_to_node; do
    for mode in plain rc4; do
      read -r s nc lc <<<"$($dir $mode)"
      printf "round %d %-10s %-5s %7.2f s  %7.1f MiB/s  CPU node %6.2f s  libtorrent %6.2f s\n" "$round" "$dir" "$mode" \
        "$s" "$(echo "$SIZE_MIB / $s" | bc -l)" "$nc" "$lc"
      NODE[$dir-$mode]+="$nc "; LT[$dir-$mode]+="$lc "; SECS[$dir-$mode]+="$s "
    done
  done
done
echo
for dir in node_to_lt lt_to_node; do
  for mode in plain rc4; do
    printf "median %-10s %-5s %7.2f s  CPU node %6.2f s  libtorrent %6.2f s\n" "$dir" "$mode" \
      "$(tr ' ' '\n' <<<"${SECS[$dir-$mode]}" | grep . | median)" \
      "$(tr ' ' '\n' <<<"${NODE[$dir-$mode]}" | grep . | median)" "$(tr ' ' '\n' <<<"${LT[$dir-$mode]}" | grep . | median)"
  done
done
