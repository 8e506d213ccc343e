#!/usr/bin/env bash
# Fuzzes each target for SECONDS (default 20: the CI smoke run).
#
#   bash scripts/fuzz.sh [--release] [SECONDS] [TARGET...]
#   bash scripts/fuzz.sh --release 600     # a real run: 10 minutes per target
#
# Targets: import_reference (the WHM reference importer), load_spec (the
# spec loader and the generator behind it), decode_reply (the generated
# reply decoders of whm-api, cpanel-api and sitehost-api). Each starts from
# its seeds, its regressions and what it found before (fuzz/corpus/<target>,
# not committed). A crash stops the run with the input in
# fuzz/artifacts/<target>/: fix the bug, then move the input to
# fuzz/regressions/<target>/, where `cargo test` replays it for good.
#
# The targets are cargo-fuzz targets (`cargo fuzz run decode_reply` works
# too); this script builds them with cargo itself, with the coverage flags
# cargo-fuzz passes minus two: no AddressSanitizer (the code under test is
# safe Rust; its panics are what we look for), so a stable toolchain will
# do, and no `-Ccodegen-units=1`, which makes whm-api alone take a quarter
# of an hour to build. Without --release the build is unoptimised: it is
# ready in a few minutes and runs several times slower, which suits a smoke
# run; long runs want --release.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

profile=dev
if [ "${1:-}" = --release ]; then
  profile=release
  shift
fi
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(import_reference load_spec decode_reply)

triple=$(rustc -vV | sed -n 's/^host: //p')
flags=(
  -Cpasses=sancov-module
  -Cllvm-args=-sanitizer-coverage-level=4
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters
  -Cllvm-args=-sanitizer-coverage-pc-table
  -Cllvm-args=-sanitizer-coverage-trace-compares
  --cfg fuzzing
  -Cllvm-args=-simplifycfg-branch-fold-threshold=0
  -Cllvm-args=-sanitizer-coverage-stack-depth
)
# A separate target directory per triple keeps these flags away from
# ordinary builds of the fuzz crate.
RUSTFLAGS="${flags[*]}" cargo build --locked --profile "$profile" \
  --target "$triple" --bins
out="target/$triple/$([ "$profile" = dev ] && echo debug || echo release)"

# Seeds each target starts from, besides its own corpus and regressions.
seeds() {
  case $1 in
    import_reference) echo ../generator/tests/fixtures/reference ;;
    load_spec) echo ../generator/tests/fixtures/specs ../spec ;;
    decode_reply) echo seeds/decode_reply ;;
  esac
}

for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log="artifacts/$target.log"
  printf '\n==> fuzz %s for %ss (%s build; log: fuzz/%s)\n' "$target" "$seconds" "$profile" "$log"
  # -rss_limit_mb bounds memory: an input that makes a target grow past it
  # is a crash like a panic.
  # shellcheck disable=SC2046 # seeds are several directories
  if ! "$out/$target" "corpus/$target" "regressions/$target" $(seeds "$target") \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="artifacts/$target/" -print_final_stats=1 >"$log" 2>&1; then
    grep -E -A12 'panicked|==ERROR|SUMMARY' "$log" | head -40 >&2 || tail -40 "$log" >&2
    echo "fuzz $target failed: the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  grep -E '^Done|stat::number_of_executed_units|stat::peak_rss_mb' "$log"
done
