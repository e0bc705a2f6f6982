#!/usr/bin/env bash
# The sanitizer job of .ci/run (docs/sanitizers.md), also for developers:
#  1. an ASan+UBSan build (gcc, CMAKE_BUILD_TYPE=Asan, every report fatal) in
#     build-asan/, and the unit and platform tests in it, less the groups
#     listed in SANITIZE_EXCLUDE below (why: docs/sanitizers.md);
#  2. the libFuzzer build (clang, TRIMODE_FUZZ=ON) in build-fuzz/ and a smoke
#     run of every harness for FUZZ_SECONDS (default 45) each.
#   scripts/sanitizers.sh [asan|fuzz]...     (both when none is named)
set -euo pipefail
. "$(dirname "$0")/usage.sh" && script_usage "$0" "$@"
cd "$(dirname "$0")/.."
jobs=$(nproc)
stages=("$@")
[ ${#stages[@]} -eq 0 ] && stages=(asan fuzz)
for stage in "${stages[@]}"; do  # (all named checked before the first runs: a typo found after a 30-minute stage)
  case $stage in asan|fuzz) ;; *) echo "sanitizers.sh: unknown stage '$stage' (asan, fuzz); see '$0 --help'" >&2; exit 2 ;; esac
done

# Tests left out under sanitizers (docs/sanitizers.md, "What the CI job runs"):
# external simulators (QEMU), the RTL's own exhaustive checks (Verilator-generated
# code, not instrumented here), checks of generated docs, and the engine-vs-
# interpreter comparison (2 x 10^7 instructions traced one by one: > 10 min
# under ASan, for paths the platform.trace_insn* and scenario tests also run).
SANITIZE_EXCLUDE='^(qemu|qemu_diff|qemu_trace|rtl|spec)\.|^platform\.engine_matches_interpreter\.'

for stage in "${stages[@]}"; do
  case $stage in
    asan)
      echo "sanitizers: ASan+UBSan build in build-asan"
      cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Asan > /dev/null
      cmake --build build-asan -j "$jobs"
      (cd build-asan &&
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest -j "$jobs" --output-on-failure -E "$SANITIZE_EXCLUDE")
      ;;
    fuzz)
      command -v clang > /dev/null || { echo "sanitizers: clang is missing (scripts/install-deps.sh)"; exit 1; }
      echo "sanitizers: libFuzzer build in build-fuzz"
      CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Asan -DTRIMODE_FUZZ=ON > /dev/null
      cmake --build build-fuzz -j "$jobs" --target fuzzers
      tests/fuzz/smoke.sh build-fuzz "${FUZZ_SECONDS:-45}"
      ;;
    *) echo "usage: scripts/sanitizers.sh [asan|fuzz]..."; exit 2 ;;
  esac
done
