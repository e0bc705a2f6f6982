#!/usr/bin/env bash
# Rewrites tests/scenarios/golden/*.out from the current build. The logs hold
# addresses and tick counts, so any change to the software on the model moves
# them: review the diff (git diff tests/scenarios/golden) before committing.
set -euo pipefail
B=${1:-build}
for s in default hostile hostile_kernel; do
  "$B/trimode" run --scenario "scenarios/$s.json" --sw-dir "$B/sw" > "tests/scenarios/golden/$s.out"
done
