#!/usr/bin/env bash
# Time from starting a leecher to its first verified piece (not a test), one seeder and one
# leecher on loopback, for our node, aria2 and libtorrent, several rounds with the clients'
# order rotating. This is what a user waits for before anything useful is on disk: process
# start (JVM / Python + libtorrent / aria2), tracker announce or --peer dial, handshake,
# bitfield, interested/unchoke, one piece's blocks and its SHA-1.
#
# How "verified" is observed (bench/tools/watch_leecher.py, polling every 5 ms):
#   ours  : the output file has bytes (the node writes a piece only after its hash matched)
#   aria2 : its JSON-RPC bitfield, which only marks hash-checked pieces, is no longer all zero
#   lt    : status().num_pieces >= 1 inside the leecher (lt_leech.py), which counts checked pieces
# Our nodes run with --encryption off like the others (the default, preferred, would add the
# secure channel's handshake; bench/secure-transfer measures that).
#
# Ends with ours/reference per round (each round runs every client once, order rotating), min/median/max.
# usage: bench/first-piece/run.sh [--size MiB] [--piece 256k] [--rounds N] [--only "ours aria2 lt"] [--dir DIR]
#        NODE_JAR=/tmp/other-node.jar bench/first-piece/run.sh ...   (another build of ours, both nodes)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source bench/lib.sh
SIZE_MIB=256
PIECE=256k
ROUNDS=3
ONLY="ours aria2 lt"
WORK=${TMPDIR:-/tmp}/simplebt-bench-first
while [[ $# -gt 0 ]]; do
  bench_option "$@" || exit 2; shift 2
done

[[ -f node.jar && -f build/jdk-home ]] || ./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
NODE_JAR=${NODE_JAR:-node.jar}
# one seeder and one tracker per client, all up for the whole run so the rounds can interleave
declare -A SEED_PORT=([ours]=46901 [aria2]=46902 [lt]=46903)
declare -A TRACKER_PORT=([ours]=46911 [aria2]=46912 [lt]=46913)
LEECH_PORT=46920
RPC_PORT=46921
PIDS=()
trap kill_pids EXIT

echo "first-piece benchmark: ${SIZE_MIB} MiB, pieces $PIECE, $ROUNDS rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ours runs with --encryption off --no-dht on both nodes (plain BitTorrent, no DHT, like the others)"
mkdir -p "$WORK/seed"
DATA="$WORK/seed/payload.bin"
random_payload "$DATA" "$SIZE_MIB"

"$JAVA" -jar "$NODE_JAR" create "$DATA" -o "$WORK/payload.torrent" --piece-length "$PIECE" \
  --tracker "http://127.0.0.1:${TRACKER_PORT[ours]}/announce" --force > /dev/null
for who in $ONLY; do
  T="$WORK/payload-$who.torrent" # same info hash for all; only the announce URL's port differs
  /usr/bin/python3 -I -c 'import sys; d = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(d.replace(b":%s/announce" % sys.argv[3].encode(), b":%s/announce" % sys.argv[4].encode(), 1))' \
    "$WORK/payload.torrent" "$T" "${TRACKER_PORT[ours]}" "${TRACKER_PORT[$who]}"
  "$PY" bench/transfer/tracker.py "${TRACKER_PORT[$who]}" "${SEED_PORT[$who]}" & PIDS+=($!)
  case $who in
    ours) "$JAVA" -jar "$NODE_JAR" seed "$T" --data "$WORK/seed" --port "${SEED_PORT[$who]}" --bind 127.0.0.1 \
            --encryption off --no-dht --quiet > "$WORK/seeder-$who.out" 2>&1 & PIDS+=($!) ;;
    aria2) aria2c --enable-dht=false --bt-enable-lpd=false --enable-peer-exchange=false --seed-ratio=0.0 \
            --bt-seed-unverified=true --listen-port="${SEED_PORT[$who]}" --dir="$WORK/seed" --bt-external-ip=127.0.0.1 \
            --console-log-level=warn --summary-interval=0 --no-conf=true --disable-ipv6=true "$T" \
            > "$WORK/seeder-$who.out" 2>&1 & PIDS+=($!) ;;
    lt) /usr/bin/python3 src/test/resources/interop/lt_peer.py seed "$T" "$WORK/seed" "${SEED_PORT[$who]}" \
            > "$WORK/seeder-$who.out" 2>&1 & PIDS+=($!) ;;
  esac
done
for who in $ONLY; do wait_port "${SEED_PORT[$who]}"; wait_port "${TRACKER_PORT[$who]}"; done
[[ " $ONLY " == *" lt "* ]] && for _ in $(seq 1 600); do grep -q SEEDING "$WORK/seeder-lt.out" && break; sleep 0.1; done

: > "$WORK/times.txt"
for round in $(seq 1 "$ROUNDS"); do
  for who in $(rotate $((round - 1)) $ONLY); do
    OUT="$WORK/out-$who"; rm -rf "$OUT"; mkdir -p "$OUT"
    T="$WORK/payload-$who.torrent"
    case $who in
      ours) secs=$("${WATCH_LEECHER[@]}" file "$OUT/payload.bin" -- "$JAVA" -jar "$NODE_JAR" download "$T" --out "$OUT" \
              --port $LEECH_PORT --bind 127.0.0.1 --peer "127.0.0.1:${SEED_PORT[$who]}" --encryption off --no-dht --quiet) ;;
      aria2) secs=$("${WATCH_LEECHER[@]}" aria2 $RPC_PORT -- aria2c --enable-rpc --rpc-listen-port=$RPC_PORT \
              --enable-dht=false --bt-enable-lpd=false --enable-peer-exchange=false --seed-time=0 \
              --listen-port=$LEECH_PORT --dir="$OUT" --bt-external-ip=127.0.0.1 --no-conf=true \
              --file-allocation=none --console-log-level=warn --summary-interval=0 --disable-ipv6=true "$T") ;;
      lt) secs=$("${WATCH_LEECHER[@]}" line FIRST_PIECE -- /usr/bin/python3 "$ROOT/bench/first-piece/lt_leech.py" \
              "$T" "$OUT" $LEECH_PORT "127.0.0.1:${SEED_PORT[$who]}") ;;
    esac
    rm -rf "$OUT"
    printf "round %d %-6s first verified piece after %6.3f s\n" "$round" "$who" "$secs"
    role=ref; [[ $who == ours ]] && role=ours
    result "first-piece-$PIECE" time "$who" $role "$round" "$secs" s lower
    echo "$round $who $secs" >> "$WORK/times.txt"
  done
done
echo
for who in $ONLY; do
  read -r mn md mx <<<"$(stats_line $(awk -v w=$who '$2 == w {print $3}' "$WORK/times.txt"))"
  printf "%-6s time to first verified piece: min %.3f s, median %.3f s, max %.3f s\n" "$who" "$mn" "$md" "$mx"
done
if [[ " $ONLY " == *" ours "* ]]; then
  for ref in $ONLY; do
    [[ $ref == ours ]] && continue
    ratios=$(awk -v r=$ref '$2 == "ours" {o[$1] = $3} $2 == r {t[$1] = $3}
      END {for (k in o) if (k in t && t[k] > 0) print o[k] / t[k]}' "$WORK/times.txt")
    [[ -n "$ratios" ]] || continue
    read -r mn md mx <<<"$(stats_line $ratios)"
    printf "ours/%-5s per round: min %.2f, median %.2f, max %.2f (below 1: ours first)\n" "$ref" "$mn" "$md" "$mx"
  done
fi
