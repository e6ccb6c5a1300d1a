#!/usr/bin/env bash
# Runs the JUnit tests (already compiled by build.sh) and ends with `N passed, N failed, N skipped`.
# Extra arguments go to the JUnit console launcher, e.g. --select-class simplebt.bencode.BencodeDecoderTest
set -uo pipefail
cd "$(dirname "$0")/.."
JDK=$(cat build/jdk-home)
# Java maps file names to bytes with the locale's charset; under a plain POSIX locale
# (common in CI containers) non-ASCII names cannot even be created. Tests use some.
[[ "$(locale charmap 2>/dev/null)" == UTF-8 ]] || export LC_ALL=C.UTF-8
# Node processes started by tests remember their torrents (and keep swarm secrets) in the config
# dir: give the run its own, so tests neither read nor fill the real ~/.config/simplebt.
if [[ -z "${SIMPLEBT_TEST_KEEP_CONFIG:-}" ]]; then
  XDG_CONFIG_HOME=$(mktemp -d "${TMPDIR:-/tmp}/simplebt-test-config.XXXXXX")
  export XDG_CONFIG_HOME
  trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
fi
selectors=("$@")
[[ ${#selectors[@]} -eq 0 ]] && selectors=(--scan-classpath build/test)
# JUnit's default class-name filter only takes *Test/*Tests; our multi-process tests are *IT.
selectors+=(--include-classname '^.*(Test|Tests|IT)$')
# TEST_JAVA_OPTS adds JVM options, e.g. TEST_JAVA_OPTS=-Dsimplebt.fuzz.long=true (see `make fuzz-long`).
java_opts=()
[[ -n "${TEST_JAVA_OPTS:-}" ]] && read -ra java_opts <<<"$TEST_JAVA_OPTS"
rm -rf build/test-reports
# Tests never reach the public DHT routers: a node started by a test (in this JVM or a child
# process, which inherits the environment) bootstraps from nowhere unless told --dht-bootstrap.
export SIMPLEBT_DHT_BOOTSTRAP="${SIMPLEBT_DHT_BOOTSTRAP:-none}"
"$JDK/bin/java" -Xss4m "${java_opts[@]}" -Dsimplebt.home="$PWD" -Djava.awt.headless=true \
  -jar lib/junit-platform-console-standalone-*.jar execute \
  --class-path "build/test:build/main:build/launcher:$(ls lib/*.jar | grep -v console-standalone | tr '\n' ':')" \
  --disable-banner --details=tree --details-theme=ascii --reports-dir build/test-reports \
  "${selectors[@]}" 2>&1 | tee build/test-output.txt
launcher_rc=${PIPESTATUS[0]}
count() { grep -E "^\[ +[0-9]+ tests $1" build/test-output.txt | tail -1 | tr -dc '0-9'; }
passed=$(count successful); failed=$(count failed); skipped=$(count skipped); aborted=$(count aborted)
passed=${passed:-0}; failed=${failed:-0}; skipped=$(( ${skipped:-0} + ${aborted:-0} ))
if (( launcher_rc != 0 && failed == 0 )); then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
(( failed == 0 ))
