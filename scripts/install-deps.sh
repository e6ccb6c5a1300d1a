#!/usr/bin/env bash
# Installs the real peers and tools the interop tests and benchmarks use, from Debian.
# Safe to run again; does nothing when everything is present. Needs root (or sudo).
set -uo pipefail
PKGS=(aria2 python3-libtorrent mktorrent tshark tmux chromium chromium-driver)
[[ "${1:-}" == "--bench" ]] && PKGS+=(opentracker wrk hyperfine transmission-daemon transmission-cli)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[[ ${#missing[@]} -eq 0 ]] && { echo "install-deps: all present"; exit 0; }
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get update -qq || echo "install-deps: apt-get update failed" >&2
for p in "${missing[@]}"; do
  $SUDO apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 \
    || echo "install-deps: could not install $p; tests that need it will skip and say so" >&2
done
exit 0
