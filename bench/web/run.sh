#!/usr/bin/env bash
# The web site's home page with 10,000 torrents: requests/s and latency with wrk (open mode, so
# no cookie is needed; each request filters and pages the sorted list and renders 50 rows), then the
# time until the page is usable in headless Chromium.
#   bench/web/run.sh [SECONDS]        (TORRENTS=10000, CONNECTIONS=32 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
DURATION=${1:-15}
TORRENTS=${TORRENTS:-10000}
CONNECTIONS=${CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "bench/web: wrk is missing (apt-get install wrk)" >&2; exit 1; }

./build.sh test --select-class simplebt.tracker.web.HtmlTest >/dev/null # also compiles build/test
JDK=$(cat build/jdk-home)
CP="build/bench-web:build/main:build/test:$(ls lib/*.jar | tr '\n' ':')"
mkdir -p build/bench-web
"$JDK/bin/javac" --release 21 -cp "$CP" -d build/bench-web bench/web/*.java

data=$(mktemp -d)
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$JDK/bin/java" -jar tracker.jar --host 127.0.0.1 --port "$port" --data "$data" --open >"$data/tracker.log" 2>&1 &
tracker=$!
trap 'kill $tracker 2>/dev/null; wait $tracker 2>/dev/null; rm -rf "$data"' EXIT
wait_port "$port"
base="http://127.0.0.1:$port"
"$JDK/bin/java" -cp "$CP" simplebt.tracker.web.Populate "$base" "$TORRENTS"
echo "home page: $(curl -s "$base/" | wc -c) bytes, $(curl -s "$base/" | grep -o '<tr data-hash' | wc -l) rows"

bench_page() { # NAME PATH
  wrk -t2 -c"$CONNECTIONS" -d2s "$base$2" >/dev/null # warm-up (JIT)
  local out rps p50 p99
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$base$2")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%-28s %10s req/s   p50 %8s   p99 %8s\n' "$1" "$rps" "$p50" "$p99"
  result "web-$1" requests_per_s wrk ours 1 "$rps" req/s higher
}
echo "wrk: $CONNECTIONS connections, 2 threads, ${DURATION} s each, $TORRENTS torrents"
bench_page home /
bench_page search "/?q=ubuntu+debian"
bench_page sorted-by-size-page-50 "/?sort=size&dir=asc&p=50"
bench_page static-css /static/site.css

if [[ -x /usr/bin/chromedriver ]]; then
  "$JDK/bin/java" -cp "$CP" simplebt.tracker.web.Usable "$base/" 10
else
  echo "no /usr/bin/chromedriver: skipping the time-until-usable measurement"
fi
