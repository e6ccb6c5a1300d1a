#!/usr/bin/env bash
# Secure vs plain stream throughput over loopback (see SecureBench.java). Run it on an idle
# machine: `uptime` load well under the number of cores. Arguments go to SecureBench.
set -euo pipefail
cd "$(dirname "$0")/../.."
./build.sh >/dev/null
JDK=$(cat build/jdk-home)
exec "$JDK/bin/java" -cp build/main bench/secure/SecureBench.java "$@"
