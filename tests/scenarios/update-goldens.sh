#!/usr/bin/env bash
# Rewrites tests/scenarios/golden/*.out from the current build, masked by
# mask.py (no tick counts, code addresses or line interleaving: a software
# change that keeps the behaviour does not move them). What remains is what the
# run decided: review the diff (git diff tests/scenarios/golden) before committing.
set -euo pipefail
B=${1:-build}
for s in default hostile hostile_kernel; do
  { "$B/trimode" run --scenario "scenarios/$s.json" --sw-dir "$B/sw" || [ $? -eq 205 ]; } | tests/scenarios/mask.py > "tests/scenarios/golden/$s.out"
done
