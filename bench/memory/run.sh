#!/usr/bin/env bash
# Leecher memory on a large transfer (not a test): runs bench/transfer/run.sh with one big file
# (default 4 GiB, 1 MiB pieces) for our node, aria2 and libtorrent and reports the leecher's
# peak RSS (/usr/bin/time's "Maximum resident set size"). 1 GiB is covered by bench/transfer
# itself (its leecher-rss metric). The file and the leecher's copy need twice the size on disk:
# the free space is checked first and the run is skipped, with a line saying so, when short.
# The random file is deleted at the end (4 GiB is too much to leave in /tmp on a shared box).
#
# RSS counts the pages a process has mapped, file-backed ones too: libtorrent 2 maps the files
# it writes, so its RSS grows with the file's page cache even though that memory is reclaimable.
#
# usage: bench/memory/run.sh [--size MiB] [--rounds N] [--dir DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MIB=4096
ROUNDS=3
WORK=${TMPDIR:-/tmp}/simplebt-bench-memory
while [[ $# -gt 0 ]]; do
  case $1 in
    --size) SIZE_MIB=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --dir) WORK=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

CREATED=0; [[ -d "$WORK" ]] || CREATED=1
mkdir -p "$WORK"
need_mib=$((2 * SIZE_MIB + 512))
free_mib=$(df -Pm "$WORK" | awk 'NR == 2 {print $4}')
echo "memory benchmark: ${SIZE_MIB} MiB transfer, 1 MiB pieces, $ROUNDS rounds; $free_mib MiB free in $WORK, need $need_mib MiB"
if (( free_mib < need_mib )); then
  echo "memory: SKIPPED the ${SIZE_MIB} MiB run: only $free_mib MiB free in $WORK, it needs $need_mib MiB"
  exit 0
fi
# only what this run made: the whole directory if it did not exist before, else the big file
trap 'if ((CREATED)); then rm -rf "$WORK"; else rm -f "$WORK/seed/payload.bin"; fi' EXIT
bench/transfer/run.sh --size "$SIZE_MIB" --pieces 1m --rounds "$ROUNDS" --dir "$WORK"
