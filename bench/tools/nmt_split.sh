#!/usr/bin/env bash
# nmt_split.sh PID: one line of where a JVM's memory is, from Native Memory Tracking (the JVM
# must run with -XX:NativeMemoryTracking=summary) and /proc: committed MiB per area as NMT
# counts it (java heap, GC structures, threads, code, class data, direct buffers and other
# malloc, compiler arenas, the rest) and the resident set split into anonymous and file pages.
# Committed is not resident: G1 commits its young generation and its bitmaps before touching them.
set -euo pipefail
pid=$1
JCMD="$(cat "$(dirname "$0")/../../build/jdk-home")/bin/jcmd"
"$JCMD" "$pid" VM.native_memory summary scale=KB 2>/dev/null | awk -v status="/proc/$pid/status" '
  /^-/ && /committed=/ {
    name = $0; sub(/^- */, "", name); sub(/ *\(.*/, "", name)
    c = $0; sub(/.*committed=/, "", c); sub(/KB.*/, "", c)
    kb[name] = c; total += c
  }
  END {
    heap = kb["Java Heap"]; gc = kb["GC"] + kb["GCCardSet"]; thr = kb["Thread"] + kb["Thread Stack"]
    code = kb["Code"]; cls = kb["Class"] + kb["Metaspace"] + kb["Shared class space"] + kb["Symbol"]
    other = kb["Other"]; comp = kb["Compiler"] + kb["Arena Chunk"]
    rest = total - heap - gc - thr - code - cls - other - comp
    while ((getline line < status) > 0) {
      if (line ~ /^RssAnon/) { split(line, f); anon = f[2] }
      if (line ~ /^RssFile/) { split(line, f); file = f[2] }
      if (line ~ /^VmRSS/) { split(line, f); rss = f[2] }
    }
    printf "NMT committed MiB: heap %d, GC %d, threads %d, code %d, classes %d, direct+other %d, compiler %d, rest %d; RSS %d MiB (anon %d, file %d)\n",
      heap / 1024, gc / 1024, thr / 1024, code / 1024, cls / 1024, other / 1024, comp / 1024, rest / 1024, rss / 1024, anon / 1024, file / 1024
  }'
