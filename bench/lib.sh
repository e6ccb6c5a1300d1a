# Shared by the benchmark scripts (source it; it defines functions and a few constants only).
#
# Machine-readable results: every measurement is printed as one line
#   RESULT scenario=S metric=M tool=T role=ours|ref round=N value=V unit=U better=lower|higher
# beside the human-readable output. bench/run.sh collects these lines from each script's output
# into results.csv; bench/tools/Summary.java turns them into ratios ours/ref per round and their
# min/median/max. A scenario+metric has exactly one tool with role=ours; every role=ref tool in it
# is a reference measured in the same run.
#
# BENCH_RESULTS (optional): a directory where scripts also drop time series
# (series/<scenario>.<tool>.r<round>.csv, "seconds,bytes") for the rate charts.

# The system Python (it has libtorrent); a python3 found first on PATH may be a version-manager
# shim that takes ~0.4 s to start, which adds up when a script calls Python per round.
PY=/usr/bin/python3
[[ -x "$PY" ]] || PY=python3

# result SCENARIO METRIC TOOL ROLE ROUND VALUE UNIT BETTER
result() {
  printf 'RESULT scenario=%s metric=%s tool=%s role=%s round=%s value=%s unit=%s better=%s\n' "$@"
}

# wait_port PORT: waits (up to 60 s) until something listens on 127.0.0.1:PORT
wait_port() {
  local _
  for _ in $(seq 1 600); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listening on $1" >&2
  return 1
}

# sampler_start FILE SERIES_NAME: samples the bytes FILE occupies on disk (allocated blocks, so
# sparse writes count as written) every 200 ms, from now until sampler_stop, into
# $BENCH_RESULTS/series/SERIES_NAME.csv. Call it just before starting the leecher.
# Sets SAMPLER_PID. No-op without BENCH_RESULTS.
BENCH_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sampler_start() {
  SAMPLER_PID=""
  [[ -n "${BENCH_RESULTS:-}" ]] || return 0
  mkdir -p "$BENCH_RESULTS/series"
  "$PY" -I "$BENCH_LIB_DIR/tools/sample_file.py" "$1" "$BENCH_RESULTS/series/$2.csv" "$(date +%s.%N)" &
  SAMPLER_PID=$!
}

sampler_stop() {
  if [[ -n "${SAMPLER_PID:-}" ]]; then
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
  fi
  SAMPLER_PID=""
}

# stats_line VALUES...: "min median max" of the arguments
stats_line() {
  printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
    med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.3f %.3f %.3f", v[1], med, v[NR] }'
}

# bench_option OPTION VALUE: the options the client-comparing scripts share. Set the defaults
# first; then in the script's own option loop: `*) bench_option "$@" || exit 2; shift 2 ;;`
#   --size MiB -> SIZE_MIB   --piece 256k -> PIECE   --rounds N -> ROUNDS
#   --only "ours aria2 lt" -> ONLY   --dir DIR -> WORK
bench_option() {
  case $1 in
    --size) SIZE_MIB=$2 ;;
    --piece) PIECE=$2 ;;
    --rounds) ROUNDS=$2 ;;
    --only) ONLY=$2 ;;
    --dir) WORK=$2 ;;
    *) echo "unknown option $1" >&2; return 1 ;;
  esac
}

# kill_pids: stops the background processes the script put in its array PIDS; `trap kill_pids EXIT`
# stops them however the script ends.
kill_pids() { for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done; }

# random_payload FILE MiB: FILE with MiB random bytes (kept from an earlier run if its size fits),
# read once so every client starts with it in the page cache.
random_payload() {
  if [[ ! -f "$1" || $(stat -c %s "$1") -ne $(($2 << 20)) ]]; then
    head -c $(($2 << 20)) /dev/urandom > "$1"
  fi
  cat "$1" > /dev/null
}

# rotate N WORDS...: the words, starting at the N-th (mod count); each round starts another client first.
rotate() { local n=$1; shift; local w=("$@") i; for ((i = 0; i < ${#w[@]}; i++)); do printf '%s ' "${w[(i + n) % ${#w[@]}]}"; done; }

# The leecher watcher (see its docstring): prints the seconds to the first verified piece.
WATCH_LEECHER=(/usr/bin/python3 -I "$BENCH_LIB_DIR/tools/watch_leecher.py")

# free_port: a TCP port nobody listens on now (other benches may run at the same time; a leecher
# that reached someone else's seeder would wait forever).
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }
  done
}

# median: the median of the numbers on stdin, one a line
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# cpu_of_time FILE: user+sys seconds from a `/usr/bin/time -v -o FILE` log
cpu_of_time() { awk -F: '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$1"; }

# cpu_of_pid PID: user+sys seconds a running process has used so far (read it before it goes)
cpu_of_pid() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' /proc/"$1"/stat; }
