#!/usr/bin/env bash
# Where the leecher's CPU and memory go (not a test): one node -> node loopback transfer with
# `--encryption off`, the leecher under JFR (profile settings) and Native Memory Tracking.
# Prints the transfer time, the leecher's CPU seconds and peak RSS, JFR's hot methods,
# allocation by class, GC, virtual-thread pinning, and NMT's split at the end of the transfer.
# Keeps the recording in WORK/leecher.jfr for `jfr print` / `jfr view`.
#
# usage: bench/profile/run.sh [--size MiB] [--piece 256k] [--dir DIR] [--label NAME] [-- extra JVM flags]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
SIZE_MIB=1024
PIECE=256k
WORK=${TMPDIR:-/tmp}/simplebt-profile
LABEL=run
EXTRA=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --size) SIZE_MIB=$2; shift 2 ;;
    --piece) PIECE=$2; shift 2 ;;
    --dir) WORK=$2; shift 2 ;;
    --label) LABEL=$2; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -f node.jar && -f build/jdk-home ]] || ./build.sh >/dev/null
JDK="$(cat build/jdk-home)"
JAVA="$JDK/bin/java"
SEED_PORT=46981
SP=""
trap '[[ -n "$SP" ]] && kill "$SP" 2>/dev/null || true' EXIT
mkdir -p "$WORK/seed"
DATA="$WORK/seed/payload.bin"
if [[ ! -f "$DATA" || $(stat -c %s "$DATA") -ne $((SIZE_MIB << 20)) ]]; then
  head -c $((SIZE_MIB << 20)) /dev/urandom > "$DATA"
fi
T="$WORK/payload-$PIECE.torrent"
"$JAVA" -jar node.jar create "$DATA" -o "$T" --piece-length "$PIECE" --tracker http://127.0.0.1:9/announce --force > /dev/null
"$JAVA" -jar node.jar seed "$T" --data "$WORK/seed" --port $SEED_PORT --bind 127.0.0.1 --no-tracker \
  --encryption off --no-dht --quiet > "$WORK/seeder.out" 2>&1 & SP=$!
wait_port $SEED_PORT
OUT="$WORK/out"; rm -rf "$OUT"; mkdir -p "$OUT"
cat "$DATA" > /dev/null
JFR="$WORK/$LABEL.jfr"
start=$(date +%s.%N)
/usr/bin/time -v -o "$WORK/time.txt" "$JAVA" -XX:StartFlightRecording=filename="$JFR",settings=profile \
  -XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics "${EXTRA[@]}" \
  -jar node.jar download "$T" --out "$OUT" --port 0 --bind 127.0.0.1 --no-tracker \
  --peer 127.0.0.1:$SEED_PORT --encryption off --no-dht --quiet > "$WORK/leecher.out" 2>&1
end=$(date +%s.%N)
cmp -s "$DATA" "$OUT/payload.bin" || { echo "downloaded file differs" >&2; exit 1; }
rm -rf "$OUT"
secs=$(echo "$end - $start" | bc -l)
rss=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$WORK/time.txt")
cpu=$(awk -F: '/User time|System time/ {s += $2} END {print s}' "$WORK/time.txt")
printf "%s: %d MiB, pieces %s: %.2f s, leecher CPU %.2f s, peak RSS %d MiB (load %s)\n" "$LABEL" "$SIZE_MIB" "$PIECE" \
  "$secs" "$cpu" $((rss / 1024)) "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "--- NMT at exit (committed KB)"
grep -E "^(Total|-  *(Java Heap|Class|Thread|Code|GC|Compiler|Internal|Other|Symbol|Native Memory Tracking|Arena Chunk|Metaspace|Shared class space|Module|Synchronization|Serviceability))" "$WORK/leecher.out" \
  | sed -E 's/reserved=[0-9]+KB, //' || true
for view in hot-methods allocation-by-class gc-pauses pinned-threads; do
  echo "--- jfr view $view"
  "$JDK/bin/jfr" view --width 160 "$view" "$JFR" 2>/dev/null | head -28 || true
done
