#!/usr/bin/env bash
# Fixed and per-torrent cost of one node process seeding N torrents (`node seed` with N files,
# no tracker): peak RSS (VmHWM), threads and open descriptors after 15 s, for N = 1 and N = 100
# by default. Run it on an idle machine and say the load (printed first).
set -euo pipefail
cd "$(dirname "$0")/../.."
./build.sh >/dev/null
JAVA="$(cat build/jdk-home)/bin/java"
uptime
for n in "${@:-1 100}"; do
  for N in $n; do
    dir=$(mktemp -d)
    "$JAVA" -cp build/main bench/many-torrents/MakeTorrents.java "$dir" "$N"
    XDG_CONFIG_HOME="$dir/cfg" "$JAVA" -jar node.jar seed "$dir"/torrents/*.torrent --data "$dir/data" --no-tracker \
        --bind 127.0.0.1 --port 0 --quiet >"$dir/out" 2>&1 &
    pid=$!
    sleep 15
    rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
    threads=$(awk '/Threads/ {print $2}' /proc/$pid/status)
    fds=$(ls /proc/$pid/fd | wc -l)
    kill $pid; wait $pid || true
    printf '%4d torrents: peak RSS %6d KiB  threads %3d  descriptors %4d\n' "$N" "$rss" "$threads" "$fds"
    rm -rf "$dir"
  done
done
