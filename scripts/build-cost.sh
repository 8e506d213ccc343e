#!/usr/bin/env bash
# What compiling a generated crate costs its users: a clean build of the crate
# itself (its dependencies already built), with default features, all
# features and one group, in debug and release, with wall time and peak
# memory.
#
#   bash scripts/build-cost.sh [crate] [one-group-feature]
#
# Defaults: whm-api, accounts. Needs GNU time (Debian package `time`).
# BUILD_COST_ONLY=debug (or release) measures one profile.
set -euo pipefail
cd "$(dirname "$0")/.."
crate=${1:-whm-api}
group=${2:-accounts}
only=${BUILD_COST_ONLY:-}
timer=/usr/bin/time
[ -x "$timer" ] || { echo "needs GNU time at $timer (apt-get install time)" >&2; exit 1; }

measure() { # label, profile (dev|release), cargo feature args...
  local label=$1 profile=$2; shift 2
  local release=()
  [ "$profile" = release ] && release=(--release)
  cargo build -q -p "$crate" "${release[@]}" "$@" >/dev/null 2>&1   # dependencies first
  cargo clean -q -p "$crate" "${release[@]}"
  local log
  log=$(mktemp)
  "$timer" -f '%e %M' -o "$log" cargo build -q -p "$crate" "${release[@]}" "$@"
  read -r seconds kib <"$log"
  rm -f "$log"
  printf '%-44s %7.1f s   peak %6d MiB\n' "$label" "$seconds" "$((kib / 1024))"
}

echo "clean build of $crate (dependencies built), $(nproc) cores, rustc $(rustc --version | cut -d' ' -f2)"
if [ "$only" != release ]; then
  measure "debug, default features" dev
  measure "debug, all features" dev --all-features
  measure "debug, only -F $group" dev --no-default-features -F "$group"
fi
if [ "$only" != debug ]; then
  measure "release, default features" release
  measure "release, all features" release --all-features
  measure "release, only -F $group" release --no-default-features -F "$group"
fi
