#!/usr/bin/env bash
# Fuzz smoke run (.ci/run, docs/sanitizers.md): every libFuzzer harness of a
# TRIMODE_FUZZ build for SECONDS each, starting from its seed corpus. New
# inputs go to a scratch folder (the repository's corpus is read-only here).
# Every harness runs; exit 1 if any found a crash, leak, timeout or
# out-of-memory, naming the reproducer; a line of figures per harness otherwise.
#   tests/fuzz/smoke.sh build-fuzz 45
set -euo pipefail
build=${1:?usage: smoke.sh BUILD_DIR [SECONDS]}
seconds=${2:-45}
# A fixed seed by default, so a CI failure reproduces; TRIMODE_FUZZ_SEED=0 lets libFuzzer pick.
seed=${TRIMODE_FUZZ_SEED:-1}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d /tmp/trimode-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

status=0
for name in elf scenario memq hv; do
  bin=$build/tests/fuzz/fuzz_$name
  [ -x "$bin" ] || { echo "fuzz smoke: $bin is not built (cmake --build $build --target fuzzers)"; exit 1; }
  mkdir -p "$scratch/$name" "$scratch/$name.crash"
  extra=()
  [ -f "$here/$name.dict" ] && extra+=("-dict=$here/$name.dict")
  seeds=("$here/corpus/$name")
  # (the scenario harness reads scenarios/*.json in place: the corpus's copies had drifted from them)
  [ "$name" = scenario ] && seeds+=("$here/../../scenarios")
  log=$scratch/$name.log
  if "$bin" "$scratch/$name" "${seeds[@]}" "${extra[@]}" -max_total_time="$seconds" -seed="$seed" \
       -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$scratch/$name.crash/" \
       > "$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz smoke: fuzz_$name ok, $execs inputs in ${seconds} s (seed $seed), $cov"
  else
    echo "fuzz smoke: FAILURE: fuzz_$name"
    grep -E 'ERROR|FAILURE|SUMMARY|what\(\)' "$log" | head -5
    for a in "$scratch/$name.crash"/*; do
      [ -e "$a" ] || continue
      mkdir -p "$build/fuzz-artifacts"
      cp "$a" "$build/fuzz-artifacts/"
      echo "fuzz smoke: reproducer $build/fuzz-artifacts/$(basename "$a") (run: $bin FILE)"
    done
    status=1
  fi
done
exit $status
