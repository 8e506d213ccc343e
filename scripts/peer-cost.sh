#!/usr/bin/env bash
# The same spec through whm-codegen and two general-purpose OpenAPI
# generators, measured in one run on one machine: generation time, lines of
# Rust, and a clean build of each generated crate alone (its dependencies
# already built), wall time and peak memory, debug and release.
#
#   bash scripts/peer-cost.sh [spec]        # default: spec/whm-api-1.yaml
#
# The peers are OpenAPI Generator 7.x (`-g rust`, from the PyPI package
# `openapi-generator-cli`, which bundles its jar; needs Java 17) and
# progenitor (`cargo install cargo-progenitor`). Both are installed under
# target/peers/, with everything this script makes; nothing is committed.
# Where a peer rejects the spec, scripts/peer-spec.py writes the copy it
# reads and prints what it changed. PEER_COST_PROFILES="debug" measures
# debug builds only; PEER_COST_PEERS="progenitor" leaves OpenAPI Generator
# (and Java) out. Needs GNU time (Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
spec=${1:-spec/whm-api-1.yaml}
profiles=${PEER_COST_PROFILES:-debug release}
peers=${PEER_COST_PEERS:-openapi-generator progenitor}
with() { [[ " $peers " == *" $1 "* ]]; }
work=$root/target/peers
timer=/usr/bin/time
[ -x "$timer" ] || { echo "needs GNU time at $timer (apt-get install time)" >&2; exit 1; }
if with openapi-generator; then
  command -v java >/dev/null || { echo "needs Java 17 (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
fi
mkdir -p "$work"

step() { printf '\n==> %s\n' "$*" >&2; }

# ---- the tools ------------------------------------------------------------
ogc_version=7.26.0
if [ ! -x "$work/venv/bin/python" ] || { with openapi-generator && [ ! -x "$work/venv/bin/openapi-generator-cli" ]; }; then
  step "installing openapi-generator-cli $ogc_version"
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet --disable-pip-version-check \
    "openapi-generator-cli==$ogc_version" pyyaml==6.0.3
fi
if [ ! -x "$work/cargo/bin/cargo-progenitor" ]; then
  step "installing cargo-progenitor"
  cargo install --quiet --locked --root "$work/cargo" cargo-progenitor
fi
progenitor_version=$(cargo install --list --root "$work/cargo" | sed -n 's/^cargo-progenitor v\(.*\):$/\1/p')

# ---- generating -----------------------------------------------------------
seconds() { # command...: prints its wall time in seconds
  local log
  log=$(mktemp)
  "$timer" -f '%e' -o "$log" "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; rm -f "$log"; return 1; }
  cat "$log"
  rm -f "$log"
}

# Each crate is a workspace of its own, so that its builds are its own.
own_workspace() { # crate dir
  grep -q '^\[workspace\]' "$1/Cargo.toml" || printf '\n[workspace]\n' >>"$1/Cargo.toml"
}

rm -rf "$work/ours" "$work/openapi-generator" "$work/progenitor"
cargo build -q --release -p whm-codegen
step "whm-codegen"
ours_gen=$(seconds "$root/target/release/whm-codegen" generate --spec "$spec" --out "$work/ours" \
  --runtime-dependency "{ path = \"$root/runtime\" }")
ours=$(find "$work/ours" -mindepth 1 -maxdepth 1 -type d | head -1)
own_workspace "$ours"

if with openapi-generator; then
  step "OpenAPI Generator $ogc_version (rust)"
  "$work/venv/bin/python" scripts/peer-spec.py openapi-generator "$spec" "$work/spec-openapi-generator.yaml"
  ogc_gen=$(seconds "$work/venv/bin/openapi-generator-cli" generate -g rust \
    -i "$work/spec-openapi-generator.yaml" -o "$work/openapi-generator" \
    --additional-properties=packageName=whm-api-openapi-generator,library=reqwest \
    --skip-validate-spec)
  own_workspace "$work/openapi-generator"
fi

step "progenitor $progenitor_version"
"$work/venv/bin/python" scripts/peer-spec.py progenitor "$spec" "$work/spec-progenitor.json"
prog_gen=$(seconds "$work/cargo/bin/cargo-progenitor" progenitor \
  -i "$work/spec-progenitor.json" -o "$work/progenitor" -n whm-api-progenitor -v 0.1.0)
own_workspace "$work/progenitor"

# ---- measuring ------------------------------------------------------------
lines() { # crate dir: "all lines, lines neither blank nor comments"
  local all code
  all=$(find "$1" -name '*.rs' -not -path "$1/target/*" -print0 | xargs -0 cat | wc -l)
  code=$(find "$1" -name '*.rs' -not -path "$1/target/*" -print0 | xargs -0 cat \
    | grep -v '^[[:space:]]*//' | grep -cv '^[[:space:]]*$')
  echo "$all $code"
}

build() { # crate dir, profile (debug|release): "seconds MiB"
  local dir=$1 release=()
  [ "$2" = release ] && release=(--release)
  local name
  name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$dir/Cargo.toml" | head -1)
  (cd "$dir" && cargo build -q "${release[@]}" >/dev/null 2>&1 || true)   # dependencies first
  (cd "$dir" && cargo clean -q -p "$name" "${release[@]}")
  local log
  log=$(mktemp)
  (cd "$dir" && "$timer" -f '%e %M' -o "$log" cargo build -q "${release[@]}" >"$work/last.log" 2>&1) \
    || { tail -20 "$work/last.log" >&2; echo "failed -"; rm -f "$log"; return; }
  read -r secs kib <"$log"
  rm -f "$log"
  echo "$secs $((kib / 1024))"
}

echo
echo "$spec, $(nproc) cores, rustc $(rustc --version | cut -d' ' -f2)"
printf '%-30s %9s %18s' "generator" "generate" "lines (code)"
for p in $profiles; do printf ' %18s' "$p build"; done
echo
entries=("whm-codegen|$ours_gen|$ours")
with openapi-generator && entries+=("OpenAPI Generator $ogc_version|$ogc_gen|$work/openapi-generator")
entries+=("progenitor $progenitor_version|$prog_gen|$work/progenitor")
for entry in "${entries[@]}"; do
  IFS='|' read -r label gen dir <<<"$entry"
  read -r all code <<<"$(lines "$dir")"
  printf '%-30s %8.1fs %9d (%6d)' "$label" "$gen" "$all" "$code"
  for p in $profiles; do
    read -r secs mib <<<"$(build "$dir" "$p")"
    if [ "$secs" = failed ]; then
      printf ' %18s' "failed"
    else
      printf ' %8.1fs %5dMiB' "$secs" "$mib"
    fi
  done
  echo
done
