#!/usr/bin/env bash
# Seeder memory with many leechers (not a test): our node seeds a 256 MiB file (256 KiB
# pieces) to 50 raw BEP 3 leechers in one process (bench/tools/ManyLeechers.java) for 20 s;
# reports the seeder's peak RSS (VmHWM), its CPU seconds and where its memory is (NMT, sampled
# at the end). Only 4 regular and 1 optimistic slot upload at a time (BEP 3 choking); the
# others stay connected and choked, which is what a popular seeder looks like.
#
# usage: bench/seeder-memory/run.sh [--leechers N] [--seconds S] [--dir DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
LEECHERS=50
SECONDS_RUN=20
WORK=${TMPDIR:-/tmp}/simplebt-seeder-memory
while [[ $# -gt 0 ]]; do
  case $1 in
    --leechers) LEECHERS=$2; shift 2 ;;
    --seconds) SECONDS_RUN=$2; shift 2 ;;
    --dir) WORK=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -f node.jar && -f build/jdk-home ]] || ./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
PORT=${BENCH_SEED_PORT:-46891}
SP=""
trap '[[ -n "$SP" ]] && kill "$SP" 2>/dev/null || true' EXIT
mkdir -p "$WORK/seed"
DATA="$WORK/seed/payload.bin"
[[ -f "$DATA" ]] || head -c $((256 << 20)) /dev/urandom > "$DATA"
T="$WORK/payload.torrent"
"$JAVA" -jar node.jar create "$DATA" -o "$T" --piece-length 256k --tracker http://127.0.0.1:9/announce --force > /dev/null
cat "$DATA" > /dev/null
"$JAVA" -XX:NativeMemoryTracking=summary -jar node.jar seed "$T" --data "$WORK/seed" --port "$PORT" --bind 127.0.0.1 \
  --no-tracker --encryption off --max-peers $((LEECHERS + 10)) --quiet > "$WORK/seeder.out" 2>&1 & SP=$!
wait_port "$PORT"
"$JAVA" -cp node.jar bench/tools/ManyLeechers.java "$T" "$PORT" "$LEECHERS" "$SECONDS_RUN"
split=$(bench/tools/nmt_split.sh "$SP" || true)
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$SP/status")
cpu=$(awk '{print ($14 + $15) / 100}' "/proc/$SP/stat")
threads=$(awk '/Threads/ {print $2}' "/proc/$SP/status")
echo "seeder with $LEECHERS leechers: peak RSS $((hwm / 1024)) MiB, CPU ${cpu} s, $threads platform threads"
echo "seeder memory at the end: $split"
result seeder-${LEECHERS}-leechers seeder-rss ours ours 1 $((hwm / 1024)) MiB lower
