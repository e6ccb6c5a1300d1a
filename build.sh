#!/usr/bin/env bash
# Builds tracker.jar and node.jar; `./build.sh test` also compiles and runs the tests.
# Finds a JDK >= 21 on its own (JAVA_HOME, then PATH, then /usr/lib/jvm/*) and fetches
# the few jars we need from Maven Central into lib/.
set -euo pipefail
cd "$(dirname "$0")"

MIN_JDK=21
LIBS=(
  "com.google.code.gson:gson:2.13.2"
  "org.junit.platform:junit-platform-console-standalone:1.14.1"
  "org.assertj:assertj-core:3.27.7"
)

jdk_major() { # prints the major version of the JDK in $1, or nothing
  local out
  # The release file answers without starting a JVM (keeps a no-op build fast).
  out=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  [[ "$out" =~ ^[0-9]+$ ]] && { echo "$out"; return 0; }
  out=$("$1/bin/javac" -version 2>&1 | head -1) || return 0
  out=${out#javac }
  echo "${out%%[.-]*}"
}

find_jdk() {
  local candidates=() best="" best_major=0 dir major
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for dir in /usr/lib/jvm/*; do [[ -x "$dir/bin/javac" ]] && candidates+=("$dir"); done
  for dir in "${candidates[@]}"; do
    [[ -x "$dir/bin/javac" && -x "$dir/bin/java" ]] || continue
    major=$(jdk_major "$dir")
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if (( major >= MIN_JDK && major > best_major )); then best="$dir"; best_major=$major; fi
  done
  [[ -n "$best" ]] || { echo "build.sh: no JDK >= $MIN_JDK found (looked at JAVA_HOME, PATH, /usr/lib/jvm/*); install one, e.g. apt-get install openjdk-21-jdk" >&2; exit 1; }
  echo "$best"
}

fetch_libs() {
  mkdir -p lib
  local coord g a v jar
  for coord in "${LIBS[@]}"; do
    IFS=: read -r g a v <<<"$coord"
    jar="lib/$a-$v.jar"
    [[ -f "$jar" ]] && continue
    echo "fetching $coord"
    if command -v mvn >/dev/null 2>&1; then
      mvn -q -B dependency:copy -Dartifact="$coord" -DoutputDirectory=lib >/dev/null 2>&1 || true
    fi
    if [[ ! -f "$jar" ]]; then
      curl -fsSL -o "$jar.part" "https://repo1.maven.org/maven2/${g//.//}/$a/$v/$a-$v.jar" && mv "$jar.part" "$jar" || true
    fi
    [[ -f "$jar" ]] || { echo "build.sh: could not fetch $coord into lib/ (needs mvn or curl and Maven Central)" >&2; exit 1; }
  done
}

newer_than() { # true when any file under $1 is newer than stamp $2 (or the stamp is missing)
  [[ ! -f "$2" ]] || [[ -n "$(find "$1" -newer "$2" -type f -print -quit 2>/dev/null)" ]]
}

compile() { # compile SRC_DIR OUT_DIR CLASSPATH [STAMP_IT_DEPENDS_ON] [RELEASE]
  local src=$1 out=$2 cp=$3 dep=${4:-} release=${5:-21} stamp="$2.stamp" list="$2.sources"
  # Recompile when a source is newer than the last build, when a source was added, removed
  # or renamed (else stale classes of deleted files, even deleted tests, live on), or when
  # what it compiles against (main, for the tests) was rebuilt.
  find "$src" -name '*.java' | sort > "$list.new"
  # Resources (the web site's pages, CSS and script) count as sources too.
  if [[ "${FORCE:-}" != 1 ]] && ! newer_than "$src" "$stamp" && ! newer_than "${src%/java}/resources" "$stamp" \
      && cmp -s "$list.new" "$list" \
      && [[ -z "$dep" || ! "$dep" -nt "$stamp" ]]; then
    rm -f "$list.new"
    return 0
  fi
  rm -rf "$out" "$stamp"; mkdir -p "$out"
  mv "$list.new" "$list"
  # -options: javac warns that --release 8 (the launcher's) is obsolete; that is the point.
  if ! "$JDK/bin/javac" --release "$release" -encoding UTF-8 -Xlint:all,-serial,-try,-classfile,-options -Xmaxwarns 50 \
      -d "$out" -cp "$cp" @"$list"; then
    echo "build.sh: compiling $src failed (javac errors above)" >&2
    exit 1
  fi
  [[ -d "${src%/java}/resources" ]] && cp -r "${src%/java}/resources/." "$out/"
  touch "$stamp"
  return 0
}

make_jar() { # make_jar NAME MAIN_CLASS
  local jar=$1 main=$2
  [[ -f "$jar" && "$jar" -nt build/main.stamp && "$jar" -nt build/launcher.stamp ]] && return 0
  rm -rf build/jar && mkdir -p build/jar
  cp -r build/main/. build/launcher/. build/jar/
  (cd build/jar && "$JDK/bin/jar" xf ../../lib/gson-*.jar com/google/gson && rm -rf META-INF)
  "$JDK/bin/jar" --create --file "$jar" --main-class "$main" -C build/jar .
  echo "built $jar"
}

JDK=$(find_jdk)
mkdir -p build
echo "$JDK" > build/jdk-home
fetch_libs
compile src/main/java build/main "lib/gson-2.13.2.jar"
# The jars' Main-Class: a version check any Java >= 8 can load, so an older default `java`
# says which Java to use instead of failing with a LinkageError (simplebt.launcher.JavaCheck).
compile src/launcher/java build/launcher build/main build/main.stamp 8
make_jar node.jar simplebt.launcher.NodeJar
make_jar tracker.jar simplebt.launcher.TrackerJar

if [[ "${1:-}" == "test" ]]; then
  shift
  compile src/test/java build/test "build/main:build/launcher:lib/*" build/launcher.stamp
  exec scripts/run-tests.sh "$@"
fi
