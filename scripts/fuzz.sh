#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (with AddressSanitizer) and runs each for a bounded time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 300 seconds, every target
#
# Seeds: Fuzz/Seeds/<target>/ (a small committed set), plus Tests/ScannerTests/Fixtures and
# samples/ for the scanner. The growing corpus lives in Fuzz/.corpus/<target>/ and crash
# artefacts in Fuzz/.artifacts/ (both ignored by git). A crash stops the run and exits non-zero;
# turn the artefact into a regression test in Tests/ScannerTests (docs/hardening.md).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-300}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(ScannerFuzz LogFileFuzz)

(cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
bin="$(cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --show-bin-path)"

mkdir -p Fuzz/.artifacts
for target in "${targets[@]}"; do
  corpus="Fuzz/.corpus/$target"
  mkdir -p "$corpus"
  seeds=("Fuzz/Seeds/$target")
  if [ "$target" = ScannerFuzz ]; then
    for dir in Tests/ScannerTests/Fixtures samples; do [ -d "$dir" ] && seeds+=("$dir"); done
  fi
  echo "== $target: ${seconds}s, corpus $corpus, seeds ${seeds[*]}"
  # -malloc_limit_mb: no single allocation may grow with the input (memory stays bounded);
  # -max_len lets long lines in.
  SWIFT_BACKTRACE=enable=no "$bin/$target" "$corpus" "${seeds[@]}" \
    -max_total_time="$seconds" -max_len=262144 -rss_limit_mb=2048 -malloc_limit_mb=256 -timeout=10 \
    -artifact_prefix="Fuzz/.artifacts/$target-" -print_final_stats=1
done
