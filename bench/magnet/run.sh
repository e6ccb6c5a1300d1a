#!/usr/bin/env bash
# Time from a magnet link to the first verified piece and to a complete download (not a test):
# one seeder (our node, plain BitTorrent, serving the metadata over ut_metadata) and one leecher
# started from a magnet link on loopback, for our node, aria2 and libtorrent, several rounds with
# the leechers' order rotating. What the leecher must do first: get peers, fetch the info
# dictionary (BEP 9) and check it against the info hash, then download as from a .torrent.
#
# Scenarios (each leecher gets the same link):
#   tracker : magnet with tr= only (bench/transfer/tracker.py, which names the seeder)
#   xpe     : magnet with x.pe= only (the seeder's address), no tracker
#   dht     : magnet with only xt and dn: every leecher finds the seeder through a loopback DHT
#             of one node (bench/magnet/DhtRouter.java, one of our DHT nodes, which knows
#             nobody else) that the seeder announced the torrent to; each leecher's DHT joins
#             through it (ours --dht-bootstrap, aria2 --dht-entry-point, libtorrent
#             dht_bootstrap_nodes with its loopback/same-IP restrictions off), UDP port = its
#             TCP port. Earlier rounds' leechers stay in that node's table as dead nodes, as a
#             real DHT has them: every leecher's lookup meets them.
# In tracker and xpe every leecher has DHT off; LSD and PEX are always off. Ours also gets its
# own config dir per round (it remembers torrents and its DHT table there) and runs in a scratch
# folder (it saves torrents/<name>.torrent).
#
# How the times are observed (bench/tools/watch_leecher.py, polling every 5 ms):
#   first piece: ours - the output file has bytes (written only after its SHA-1 matched);
#                aria2 - its JSON-RPC bitfield is no longer all zero; lt - status().num_pieces >= 1
#   complete   : ours - exits 0 (when every piece is verified); lt - lt_magnet.py exits 0 once
#                is_seeding; aria2 - JSON-RPC shows the payload's completedLength = totalLength
#                (aria2 keeps running after a magnet download, even with --seed-time=0)
# A leecher that cannot finish within MAGNET_LIMIT (default 120 s) prints "failed" for that round.
#
# Ends with ours/reference per round for both times (below 1: ours faster), min/median/max.
# usage: bench/magnet/run.sh [--size MiB] [--piece 256k] [--rounds N] [--only "ours aria2 lt"]
#                            [--scenarios "tracker xpe dht"] [--dir DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source bench/lib.sh
SIZE_MIB=64
PIECE=256k
ROUNDS=3
ONLY="ours aria2 lt"
SCENARIOS="tracker xpe dht"
WORK=${TMPDIR:-/tmp}/simplebt-bench-magnet
while [[ $# -gt 0 ]]; do
  case $1 in
    --scenarios) SCENARIOS=$2; shift 2 ;;
    *) bench_option "$@" || exit 2; shift 2 ;;
  esac
done

[[ -f node.jar && -f build/jdk-home ]] || ./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
NODE_JAR=$ROOT/${NODE_JAR:-node.jar}
WATCH=("${WATCH_LEECHER[@]}" --until complete --limit "${MAGNET_LIMIT:-120}")
SEED_PORT=46931
TRACKER_PORT=46932
LEECH_PORT=46933
RPC_PORT=46934
ROUTER_PORT=46935
PIDS=()
trap kill_pids EXIT

echo "magnet benchmark: ${SIZE_MIB} MiB, pieces $PIECE, $ROUNDS rounds, scenarios: $SCENARIOS, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "one seeder for every leecher: our node, --encryption off (plain BitTorrent like the others)"
rm -rf "$WORK/out-"* "$WORK/cwd-"* "$WORK/config-"*
mkdir -p "$WORK/seed"
DATA="$WORK/seed/payload.bin"
random_payload "$DATA" "$SIZE_MIB"

TRACKER_URL="http://127.0.0.1:$TRACKER_PORT/announce"
"$JAVA" -jar "$NODE_JAR" create "$DATA" -o "$WORK/payload.torrent" --piece-length "$PIECE" --tracker "$TRACKER_URL" --force > /dev/null
HASH=$("$JAVA" -jar "$NODE_JAR" info --magnet "$WORK/payload.torrent" | sed -n 's/.*xt=urn:btih:\([0-9a-f]*\).*/\1/p')
TR=$("$PY" -I -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$TRACKER_URL")
declare -A LINK=(
  [tracker]="magnet:?xt=urn:btih:$HASH&dn=payload.bin&tr=$TR"
  [xpe]="magnet:?xt=urn:btih:$HASH&dn=payload.bin&x.pe=127.0.0.1:$SEED_PORT"
  [dht]="magnet:?xt=urn:btih:$HASH&dn=payload.bin"
)
"$PY" bench/transfer/tracker.py "$TRACKER_PORT" "$SEED_PORT" > "$WORK/tracker.out" 2>&1 & PIDS+=($!)
SEED_DHT=(--no-dht --quiet)
if [[ " $SCENARIOS " == *" dht "* ]]; then
  "$JAVA" -cp "$NODE_JAR" bench/magnet/DhtRouter.java "$ROUTER_PORT" > "$WORK/router.out" 2>&1 & PIDS+=($!)
  for _ in $(seq 1 300); do grep -q READY "$WORK/router.out" && break; sleep 0.1; done
  grep -q READY "$WORK/router.out" || { echo "the DHT node did not start: $(cat "$WORK/router.out")" >&2; exit 1; }
  SEED_DHT=(--dht-bootstrap "127.0.0.1:$ROUTER_PORT" --debug) # --debug: its log says when it has announced
fi
rm -rf "$WORK/config-seed"
XDG_CONFIG_HOME="$WORK/config-seed" "$JAVA" -jar "$NODE_JAR" seed "$WORK/payload.torrent" --data "$WORK/seed" \
  --port "$SEED_PORT" --bind 127.0.0.1 --encryption off --no-tracker "${SEED_DHT[@]}" > "$WORK/seeder.out" 2>&1 & PIDS+=($!)
wait_port "$SEED_PORT"
wait_port "$TRACKER_PORT"
if [[ " $SCENARIOS " == *" dht "* ]]; then
  for _ in $(seq 1 300); do grep -q 'announced to [1-9]' "$WORK/seeder.out" && break; sleep 0.1; done
  grep -q 'announced to [1-9]' "$WORK/seeder.out" || { echo "the seeder did not announce on the DHT" >&2; exit 1; }
fi

: > "$WORK/times.txt"
for scenario in $SCENARIOS; do
  link=${LINK[$scenario]}
  DHT_OURS=(--no-dht); DHT_ARIA2=(--enable-dht=false); DHT_LT=()
  if [[ $scenario == dht ]]; then
    DHT_OURS=(--dht-bootstrap "127.0.0.1:$ROUTER_PORT")
    DHT_ARIA2=(--enable-dht=true --dht-listen-port=$LEECH_PORT --dht-entry-point=127.0.0.1:$ROUTER_PORT
               --dht-file-path="$WORK/out-aria2/dht.dat")
    DHT_LT=("127.0.0.1:$ROUTER_PORT")
  fi
  for round in $(seq 1 "$ROUNDS"); do
    for who in $(rotate $((round - 1)) $ONLY); do
      OUT="$WORK/out-$who"; rm -rf "$OUT" "$WORK/cwd-ours" "$WORK/config-ours"; mkdir -p "$OUT" "$WORK/cwd-ours"
      set +e
      case $who in
        ours) secs=$(cd "$WORK/cwd-ours" && XDG_CONFIG_HOME="$WORK/config-ours" "${WATCH[@]}" file "$OUT/payload.bin" -- \
                "$JAVA" -jar "$NODE_JAR" download "$link" --out "$OUT" --port $LEECH_PORT --bind 127.0.0.1 \
                --encryption off "${DHT_OURS[@]}" --quiet) ;;
        aria2) secs=$("${WATCH[@]}" aria2 $RPC_PORT -- aria2c --enable-rpc --rpc-listen-port=$RPC_PORT \
                "${DHT_ARIA2[@]}" --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false --seed-time=0 \
                --listen-port=$LEECH_PORT --dir="$OUT" --bt-external-ip=127.0.0.1 --no-conf=true \
                --file-allocation=none --console-log-level=warn --summary-interval=0 --disable-ipv6=true "$link") ;;
        lt) secs=$("${WATCH[@]}" line FIRST_PIECE -- /usr/bin/python3 "$ROOT/bench/magnet/lt_magnet.py" \
                "$link" "$OUT" $LEECH_PORT "${DHT_LT[@]}") ;;
      esac
      ok=$?
      set -e
      if [[ $ok -ne 0 ]] || ! cmp -s "$OUT/payload.bin" "$DATA"; then
        printf "%-7s round %d %-6s failed (no complete, matching file within the limit): %s\n" "$scenario" "$round" "$who" \
          "$(cd "$OUT" && find . -type f -printf '%p %s bytes; ' 2>/dev/null)"
        continue
      fi
      read -r first done <<<"$secs"
      printf "%-7s round %d %-6s first verified piece after %7.3f s, complete after %7.3f s\n" \
        "$scenario" "$round" "$who" "$first" "$done"
      role=ref; [[ $who == ours ]] && role=ours
      result "magnet-$scenario" first-piece "$who" $role "$round" "$first" s lower
      result "magnet-$scenario" complete "$who" $role "$round" "$done" s lower
      echo "$scenario $round $who $first $done" >> "$WORK/times.txt"
    done
  done
done
rm -rf "$WORK/out-"* "$WORK/cwd-"* "$WORK/config-ours"
echo
for scenario in $SCENARIOS; do
  for who in $ONLY; do
    for col in 4 5; do
      values=$(awk -v s=$scenario -v w=$who -v c=$col '$1 == s && $3 == w {print $c}' "$WORK/times.txt")
      [[ -n "$values" ]] || continue
      read -r mn md mx <<<"$(stats_line $values)"
      what="first piece"; [[ $col == 5 ]] && what="complete   "
      printf "%-7s %-6s %s: min %.3f s, median %.3f s, max %.3f s\n" "$scenario" "$who" "$what" "$mn" "$md" "$mx"
    done
  done
  [[ " $ONLY " == *" ours "* ]] || continue
  for ref in $ONLY; do
    [[ $ref == ours ]] && continue
    for col in 4 5; do
      ratios=$(awk -v s=$scenario -v r=$ref -v c=$col '$1 == s && $3 == "ours" {o[$2] = $c} $1 == s && $3 == r {t[$2] = $c}
        END {for (k in o) if (k in t && t[k] > 0) print o[k] / t[k]}' "$WORK/times.txt")
      [[ -n "$ratios" ]] || continue
      read -r mn md mx <<<"$(stats_line $ratios)"
      what="first piece"; [[ $col == 5 ]] && what="complete   "
      printf "%-7s ours/%-5s %s per round: min %.2f, median %.2f, max %.2f (below 1: ours faster)\n" \
        "$scenario" "$ref" "$what" "$mn" "$md" "$mx"
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
