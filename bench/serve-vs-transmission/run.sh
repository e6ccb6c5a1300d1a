#!/usr/bin/env bash
# Many torrents in one process (not a test): one `node serve` seeding N torrents (default 100)
# against one transmission-daemon seeding the same N, each from its own resume data (both are
# started once to check the data, stopped, and measured on the restart, as after a reboot).
# With both seeding, one aria2c fetches a file from each torrent (at most 10 at a time), all on
# 127.0.0.1 through one logging tracker (bench/swarm/tracker.py). Per seeder: peak RSS (VmHWM),
# the most threads and open descriptors seen (sampled every 200 ms), and the leecher's time.
# Then the cost per added torrent: the same seeder with 1 torrent, idle RSS (all started, nothing
# moving) (RSS(N) - RSS(1)) / (N - 1),
# and a single-torrent `node seed` beside `node serve` with 1 torrent (the fixed cost of serve).
# A difference of two JVMs 99 torrents apart is noisy (G1 commits its heap 4 MiB region at a
# time), so both seeders are also measured idle with M torrents (--slope M, default 500, 0: not):
# the slope from 1 to M and from N to M. With OURS_BEFORE_JAR=path, an older node.jar is measured
# idle at 1, N and M torrents in the same run ("before"). --more K (above M) measures both idle with K torrents
# too and prints the slope from M to K: whether a cost grows with every torrent or was paid once (the JIT's
# warm-up on the start-up paths, which the first few hundred torrents pay; see NOTES.md).
# --idle-only skips the leecher (a few minutes less; the idle and peak figures only).
# The tracker asks for a re-announce every --interval seconds (default 1800, as trackers commonly
# do; bench/swarm uses 5): with 5, 500 idle torrents are 100 HTTP announces a second, and the
# idle figures measure that traffic rather than what holding a torrent costs.
#
# Prints RESULT lines (bench/lib.sh; ROUND=N sets their round) and the ratios ours/transmission.
# usage: bench/serve-vs-transmission/run.sh [--torrents N] [--slope M] [--more K] [--idle-only] [--size KiB] [--settle S]
#        [--interval S] [--dir DIR]
# Run on a quiet machine (uptime load < 1.5).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source bench/lib.sh
N=100
M=500
K=0
LEECH=yes
SIZE_KIB=1024
INTERVAL=1800
SETTLE=10 # seconds after the last torrent announced before idle RSS is read (G1's periodic collection runs after 2 s quiet)
WORK=${TMPDIR:-/tmp}/simplebt-bench-serve-vs-transmission
while [[ $# -gt 0 ]]; do
  case $1 in
    --torrents) N=$2; shift 2 ;;
    --slope) M=$2; shift 2 ;;
    --more) K=$2; shift 2 ;;
    --idle-only) LEECH=no; shift ;;
    --settle) SETTLE=$2; shift 2 ;;
    --interval) INTERVAL=$2; shift 2 ;;
    --size) SIZE_KIB=$2; shift 2 ;;
    --dir) WORK=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -f node.jar && -f build/jdk-home ]] || ./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
TRACKER_PORT=${BENCH_TRACKER_PORT:-47980}
SEED_PORT=${BENCH_SEED_PORT:-47981}
RPC_PORT=${BENCH_RPC_PORT:-47982}
LEECH_PORT=${BENCH_LEECH_PORT:-47983}
PIDS=()
trap kill_pids EXIT

(( M == 0 || M > N )) || { echo "--slope M must be above --torrents N (or 0)" >&2; exit 2; }
(( K == 0 || (M > 0 && K > M) )) || { echo "--more K must be above --slope M" >&2; exit 2; }
ALL=$(( M > N ? M : N )); (( K > ALL )) && ALL=$K
MORE=""; (( K > 0 )) && MORE=", then $K"
echo "serve-vs-transmission benchmark: $N torrents (and $M for the slope$MORE) of $SIZE_KIB KiB, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
[[ $LEECH == yes ]] || echo "idle only: no leecher"
echo "tracker interval $INTERVAL s, idle RSS read $SETTLE s after the last torrent announced"
echo "transmission: $(transmission-daemon -V 2>&1 | head -1); our node: --encryption off (plain, as aria2 speaks it), --no-dht (transmission runs without DHT too)"
rm -rf "$WORK"; mkdir -p "$WORK/data" "$WORK/torrents"
cp node.jar "$WORK/node.jar" # a rebuild during the run must not change the jar under running JVMs
NODE_JAR="$WORK/node.jar"
if [[ -n "${OURS_BEFORE_JAR:-}" ]]; then cp "$OURS_BEFORE_JAR" "$WORK/before.jar"; echo "before: $OURS_BEFORE_JAR"; fi
ANNOUNCE="http://127.0.0.1:$TRACKER_PORT/announce"
for ((i = 0; i < ALL; i++)); do
  head -c $((SIZE_KIB << 10)) /dev/urandom > "$WORK/data/file$i.bin"
  mktorrent -l 16 -a "$ANNOUNCE" -o "$WORK/torrents/t$i.torrent" "$WORK/data/file$i.bin" > /dev/null
done
cat "$WORK"/data/* > /dev/null # page cache

LOG="$WORK/announces.log"; : > "$LOG"
# stderr aside: a client that hangs up before the reply (a seeder stopping) makes Python print a trace
python3 "$ROOT/bench/swarm/tracker.py" $TRACKER_PORT "$LOG" "$INTERVAL" 2> "$WORK/tracker.err" & TP=$!; PIDS+=($TP)
wait_port $TRACKER_PORT
sleep 0.5
kill -0 "$TP" 2>/dev/null || { echo "the tracker did not start: port $TRACKER_PORT taken? (BENCH_TRACKER_PORT=...)" >&2; exit 1; }

# ours_config DIR COUNT: a node config dir that remembers torrents 0..COUNT-1 (data in $WORK/data)
ours_config() {
  mkdir -p "$1/simplebt/torrent-files"
  "$PY" - "$1/simplebt" "$WORK" "$2" <<'PY'
import hashlib, json, os, shutil, sys
cfg, work, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
def info_hash(raw):  # the info dict's bytes: mktorrent writes 'info' last, as "4:infod...ee"
    start = raw.index(b'4:infod') + 6
    return hashlib.sha1(raw[start:-1]).hexdigest()
entries = []
for i in range(count):
    t = os.path.join(work, 'torrents', 't%d.torrent' % i)
    raw = open(t, 'rb').read()
    h = info_hash(raw)
    shutil.copy(t, os.path.join(cfg, 'torrent-files', h + '.torrent'))
    entries.append({'infoHash': h, 'name': 'file%d.bin' % i, 'dataDir': os.path.join(work, 'data'), 'paused': False,
                    'added': '2026-01-01T00:00:00Z', 'uploaded': 0, 'downloaded': 0})
json.dump({'version': 1, 'torrents': entries}, open(os.path.join(cfg, 'torrents.json'), 'w'), indent=2)
PY
}

# transmission_config DIR: settings for a quiet, local, unlimited seeder
transmission_config() {
  mkdir -p "$1"
  cat > "$1/settings.json" <<JSON
{"dht-enabled": false, "pex-enabled": false, "lpd-enabled": false, "utp-enabled": false,
 "port-forwarding-enabled": false, "peer-port": $SEED_PORT, "peer-port-random-on-start": false,
 "bind-address-ipv4": "127.0.0.1", "rpc-bind-address": "127.0.0.1", "rpc-port": $RPC_PORT,
 "rpc-authentication-required": false, "rpc-whitelist-enabled": false, "encryption": 0,
 "download-dir": "$WORK/data", "incomplete-dir-enabled": false, "ratio-limit-enabled": false,
 "idle-seeding-limit-enabled": false, "speed-limit-up-enabled": false, "message-level": 1,
 "peer-limit-global": 1000, "peer-limit-per-torrent": 50, "start-added-torrents": true}
JSON
}

# wait_free PORT: waits (up to 30 s) until nothing answers on 127.0.0.1:PORT (the last seeder is gone)
wait_free() {
  local _
  for _ in $(seq 1 300); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null || return 0
    sleep 0.1
  done
  echo "port $1 still taken" >&2
  return 1
}

# start_seeder WHO COUNT CONFIG: starts it with an empty announce log, sets SP
start_seeder() {
  wait_free $SEED_PORT
  wait_free $RPC_PORT
  : > "$LOG"
  case $1 in
    ours) XDG_CONFIG_HOME="$3" "$JAVA" -jar "$NODE_JAR" serve --port $SEED_PORT --bind 127.0.0.1 --encryption off --no-dht \
            > "$WORK/seeder-$1-$2.out" 2>&1 & SP=$! ;;
    before) XDG_CONFIG_HOME="$3" "$JAVA" -jar "$WORK/before.jar" serve --port $SEED_PORT --bind 127.0.0.1 --encryption off --no-dht \
            > "$WORK/seeder-$1-$2.out" 2>&1 & SP=$! ;;
    single) XDG_CONFIG_HOME="$3" "$JAVA" -jar "$NODE_JAR" seed "$WORK/torrents/t0.torrent" --data "$WORK/data" \
              --port $SEED_PORT --bind 127.0.0.1 --encryption off --no-dht > "$WORK/seeder-$1-$2.out" 2>&1 & SP=$! ;;
    transmission) transmission-daemon -f -g "$3" -T > "$WORK/seeder-$1-$2.out" 2>&1 & SP=$! ;;
  esac
  PIDS+=($SP)
  wait_port $SEED_PORT
  [[ $1 != transmission ]] || wait_port $RPC_PORT || { tail -5 "$WORK/seeder-$1-$2.out" >&2; return 1; }
}

# ready WHO COUNT: waits until the seeder has announced every torrent as complete (left=0)
ready() {
  local _ n
  for _ in $(seq 1 1200); do
    n=$(awk -v p=$SEED_PORT '$1 == p && $5 == 0 && $2 != "stopped" && !seen[$6]++ {c++} END {print c + 0}' "$LOG")
    (( n >= $2 )) && return 0
    sleep 0.25
  done
  echo "$1: only $n of $2 torrents announced complete" >&2
  return 1
}

stop_seeder() {
  kill -TERM "$SP"; wait "$SP" 2>/dev/null || true
}

# sample PID OUTFILE: the most threads and descriptors seen, every 200 ms, until killed
sample() {
  local t f mt=0 mf=0
  while kill -0 "$1" 2>/dev/null; do
    t=$(awk '/^Threads/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0)
    f=$(ls "/proc/$1/fd" 2>/dev/null | wc -l)
    (( t > mt )) && mt=$t; (( f > mf )) && mf=$f
    echo "$mt $mf" > "$2"
    sleep 0.2
  done
}

# measure WHO COUNT CONFIG LEECH(yes|no): restart from resume data, optionally one aria2c fetches
# a file of each torrent; prints and records rss/threads/fds/time
measure() {
  local who=$1 count=$2 config=$3 leech=$4 role scen secs="" hwm kib idle mt mf
  start_seeder "$who" "$count" "$config"
  sample "$SP" "$WORK/sample-$who-$count" & local samp=$!
  ready "$who" "$count"
  sleep "$SETTLE" # settled: every torrent started, nothing transferring
  idle=$(awk '/VmRSS/ {print $2}' "/proc/$SP/status")
  if [[ $leech == yes ]]; then
    rm -rf "$WORK/leech"; mkdir -p "$WORK/leech"
    for ((i = 0; i < count; i++)); do echo "$WORK/torrents/t$i.torrent"; done > "$WORK/leech.list"
    local start; start=$(date +%s.%N)
    aria2c --enable-dht=false --bt-enable-lpd=false --enable-peer-exchange=false --no-conf=true --disable-ipv6=true \
      --bt-external-ip=127.0.0.1 --console-log-level=error --summary-interval=0 --seed-time=0 --bt-stop-timeout=120 \
      --listen-port=$LEECH_PORT --file-allocation=none -j 10 --dir="$WORK/leech" -i "$WORK/leech.list" \
      > "$WORK/leech-$who.out" 2>&1 || { echo "$who: aria2c failed, see $WORK/leech-$who.out" >&2; }
    secs=$(echo "$(date +%s.%N) - $start" | bc -l)
    local bad=0
    for ((i = 0; i < count; i++)); do cmp -s "$WORK/data/file$i.bin" "$WORK/leech/file$i.bin" || bad=$((bad + 1)); done
    (( bad == 0 )) || echo "$who: $bad files wrong or missing" >&2
  fi
  kib=$(awk '/VmHWM/ {print $2}' "/proc/$SP/status"); hwm=$((kib / 1024))
  stop_seeder; kill "$samp" 2>/dev/null || true; wait "$samp" 2>/dev/null || true
  read -r mt mf < "$WORK/sample-$who-$count"
  printf "%-12s %3d torrents: RSS idle %4d MiB, peak %4d MiB, threads %3d, descriptors %4d%s\n" "$who" "$count" \
    "$((idle / 1024))" "$hwm" "$mt" "$mf" \
    "${secs:+, leecher got all $count files in $(printf '%.2f' "$secs") s}"
  role=ref; [[ $who == ours ]] && role=ours
  scen="serve-vs-transmission-$count"
  if [[ $who == ours || $who == transmission ]]; then
    result "$scen" idle-rss "$who" $role "${ROUND:-1}" "$((idle / 1024))" MiB lower
    result "$scen" peak-rss "$who" $role "${ROUND:-1}" "$hwm" MiB lower
    result "$scen" threads "$who" $role "${ROUND:-1}" "$mt" threads lower
    result "$scen" descriptors "$who" $role "${ROUND:-1}" "$mf" fds lower
    [[ -n "$secs" ]] && result "$scen" leech-all "$who" $role "${ROUND:-1}" "$(printf '%.2f' "$secs")" s lower
  fi
  declare -g "rss_${who}_$count=$kib" "idle_${who}_$count=$idle" "threads_${who}_$count=$mt" "fds_${who}_$count=$mf" "time_${who}_$count=$secs"
}

# get NAME: the value of the variable called NAME
get() { echo "${!1}"; }

COUNTS="$N 1"; (( M > 0 )) && COUNTS="$M $N 1"; (( K > 0 )) && COUNTS="$K $COUNTS"
for c in $COUNTS; do
  ours_config "$WORK/ours-$c" "$c"
  transmission_config "$WORK/tr-$c"
done
# First starts: each checks its data and writes its resume data (not measured).
for c in $COUNTS; do
  start_seeder ours "$c" "$WORK/ours-$c"; ready ours "$c"; stop_seeder
  start_seeder transmission "$c" "$WORK/tr-$c"
  for ((i = 0; i < c; i++)); do
    transmission-remote 127.0.0.1:$RPC_PORT -a "$WORK/torrents/t$i.torrent" -w "$WORK/data" > /dev/null
  done
  ready transmission "$c"; stop_seeder
done

measure ours "$N" "$WORK/ours-$N" $LEECH
measure transmission "$N" "$WORK/tr-$N" $LEECH
measure ours 1 "$WORK/ours-1" $LEECH
measure transmission 1 "$WORK/tr-1" $LEECH
measure single 1 "$WORK/ours-1" $LEECH
if (( M > 0 )); then
  measure ours "$M" "$WORK/ours-$M" no
  measure transmission "$M" "$WORK/tr-$M" no
fi
if (( K > 0 )); then
  measure ours "$K" "$WORK/ours-$K" no
  measure transmission "$K" "$WORK/tr-$K" no
fi
if [[ -n "${OURS_BEFORE_JAR:-}" ]]; then
  for c in $COUNTS; do measure before "$c" "$WORK/ours-$c" no; done
fi

echo
for m in idle rss threads fds time; do
  o=$(get "${m}_ours_$N"); t=$(get "${m}_transmission_$N")
  [[ -n "$o" && -n "$t" ]] && printf "ours/transmission %-8s with %d torrents: %.2f (below 1: ours lower)\n" "$m" "$N" \
    "$(echo "$o / $t" | bc -l)"
done
# per added torrent: idle RSS (all seeding, nothing moving) with N torrents against 1
per_ours=$(echo "($(get idle_ours_$N) - $(get idle_ours_1)) / ($N - 1)" | bc -l)
per_tr=$(echo "($(get idle_transmission_$N) - $(get idle_transmission_1)) / ($N - 1)" | bc -l)
fixed=$(echo "($(get idle_ours_1) - $(get idle_single_1)) / 1024" | bc -l)
printf "idle RSS per added torrent: ours %.0f KiB, transmission %.0f KiB (ours/transmission %.2f)\n" "$per_ours" "$per_tr" \
  "$(echo "$per_ours / $per_tr" | bc -l)"
# slope FROM TO WHO: idle RSS per added torrent between FROM and TO torrents, KiB
slope() { echo "($(get "idle_${3}_$2") - $(get "idle_${3}_$1")) / ($2 - $1)" | bc -l; }
if (( M > 0 )); then
  SPANS=("1 $M" "$N $M"); (( K > 0 )) && SPANS+=("$M $K" "1 $K")
  for span in "${SPANS[@]}"; do
    read -r a b <<<"$span"
    so=$(slope "$a" "$b" ours); st=$(slope "$a" "$b" transmission)
    printf "idle RSS per added torrent from %d to %d: ours %.0f KiB, transmission %.0f KiB (ours/transmission %.2f)\n" \
      "$a" "$b" "$so" "$st" "$(echo "$so / $st" | bc -l)"
  done
  printf "idle RSS with %d torrents: ours %.1f MiB, transmission %.1f MiB (ours/transmission %.2f)\n" "$M" \
    "$(echo "$(get idle_ours_$M) / 1024" | bc -l)" "$(echo "$(get idle_transmission_$M) / 1024" | bc -l)" \
    "$(echo "$(get idle_ours_$M) / $(get idle_transmission_$M)" | bc -l)"
  result serve-vs-transmission-slope rss-per-torrent ours ours "${ROUND:-1}" "$(printf '%.0f' "$(slope 1 "$M" ours)")" KiB lower
  result serve-vs-transmission-slope rss-per-torrent transmission ref "${ROUND:-1}" "$(printf '%.0f' "$(slope 1 "$M" transmission)")" KiB lower
  if (( K > 0 )); then
    result serve-vs-transmission-slope-more rss-per-torrent ours ours "${ROUND:-1}" "$(printf '%.0f' "$(slope "$M" "$K" ours)")" KiB lower
    result serve-vs-transmission-slope-more rss-per-torrent transmission ref "${ROUND:-1}" "$(printf '%.0f' "$(slope "$M" "$K" transmission)")" KiB lower
  fi
fi
if [[ -n "${OURS_BEFORE_JAR:-}" ]]; then
  printf "before (%s): idle RSS per added torrent 1 to %d: %.0f KiB" "$OURS_BEFORE_JAR" "$N" "$(slope 1 "$N" before)"
  (( M > 0 )) && printf ", 1 to %d: %.0f KiB, %d to %d: %.0f KiB" "$M" "$(slope 1 "$M" before)" "$N" "$M" "$(slope "$N" "$M" before)"
  printf "; serve with 1 torrent %.1f MiB\n" "$(echo "$(get idle_before_1) / 1024" | bc -l)"
fi
printf "fixed cost of serve: serve with 1 torrent %.1f MiB idle vs node seed with 1 torrent %.1f MiB (%+.1f MiB)\n" \
  "$(echo "$(get idle_ours_1) / 1024" | bc -l)" "$(echo "$(get idle_single_1) / 1024" | bc -l)" "$fixed"
result serve-vs-transmission-per-torrent rss-per-torrent ours ours "${ROUND:-1}" "$(printf '%.0f' "$per_ours")" KiB lower
result serve-vs-transmission-per-torrent rss-per-torrent transmission ref "${ROUND:-1}" "$(printf '%.0f' "$per_tr")" KiB lower
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
