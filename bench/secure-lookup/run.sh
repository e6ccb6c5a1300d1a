#!/usr/bin/env bash
# Cost of routing an incoming secure connection with N torrents on one port (LookupBench.java).
# Run it on an idle machine; say the load (`uptime`) with the numbers.
set -euo pipefail
cd "$(dirname "$0")/../.."
./build.sh >/dev/null
JDK=$(cat build/jdk-home)
uptime
exec "$JDK/bin/java" -cp build/main bench/secure-lookup/LookupBench.java "$@"
