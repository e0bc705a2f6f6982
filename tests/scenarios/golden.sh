#!/usr/bin/env bash
# golden.sh TRIMODE SW_DIR SCENARIO GOLDEN RC MASK
# Runs SCENARIO and checks the exit code is RC and stdout, masked by MASK
# (mask.py), equals GOLDEN.
set -u
tm=$1; sw=$2; scenario=$3; golden=$4; want=$5; mask=$6
out=$(mktemp); trap 'rm -f "$out"' EXIT
"$tm" run --scenario "$scenario" --sw-dir "$sw" > "$out"
rc=$?
[ "$rc" -eq "$want" ] || { echo "FAILURE: exit code $rc, want $want"; exit 1; }
"$mask" "$out" | diff -u "$golden" - || { echo "FAILURE: stdout differs from $golden"; exit 1; }
echo PASS
