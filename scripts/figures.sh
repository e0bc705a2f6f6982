#!/usr/bin/env bash
# Prints the privilege-transition figures of docs/performance.md from the
# model's cycle accounting: runs scenarios/figures.json (roundtrip, then
# compute, in one VM) with --trace-modes, and the bare-metal twin of compute.
# Usage: scripts/figures.sh [BUILD_DIR]
set -euo pipefail
. "$(dirname "$0")/usage.sh" && script_usage "$0" "$@"
B=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)  # scenarios/figures.json whatever the working directory
trace=$(mktemp); out=$(mktemp); trap 'rm -f "$trace" "$out"' EXIT
rc=0
"$B/trimode" run --scenario "$ROOT/scenarios/figures.json" --sw-dir "$B/sw" --trace-modes > "$out" 2> "$trace" || rc=$?
# (--trace-modes goes to stderr with any error: on a failure, show its end instead of exiting silently)
[ "$rc" -eq 0 ] || { echo "figures.sh: $B/trimode run --scenario $ROOT/scenarios/figures.json exited $rc:" >&2; tail -3 "$trace" >&2; exit 1; }
grep -E "roundtrip|compute" "$out"

# ecall round trips: every U->G ecall_u trap until the next G->U exit, and
# whether V was entered in between. vcall_g: G->V until the next V->G.
awk -v clk=10 '
  / U -> G .*ecall_u/ { t0 = $2; invm = 0; open = 1; next }
  open && / -> V / { invm = 1 }
  open && / G -> U .*exit/ { n++; if (invm) withv++; d = ($2 - t0) / clk; if (!min || d < min) min = d; open = 0 }
  / G -> V .*vcall_g/ { h0 = $2; hopen = 1; next }
  hopen && / V -> G .*exit/ { hn++; d = ($2 - h0) / clk; if (!hmin || d < hmin) hmin = d; hopen = 0 }
  END {
    printf "ecall U->G->U: %d round trips, %d entered V; fastest %d cycles from the trap to the exit\n", n, withv, min
    printf "hypercall G->V->G: %d round trips, fastest %d cycles from the trap to the exit\n", hn, hmin
  }' "$trace"
"$B/trimode" run "$B/sw/compute_bare.elf" | grep "loop cycles"
vm=$(sed -nE 's/.*compute: loop cycles ([0-9]+)/\1/p' "$out")
bare=$("$B/trimode" run "$B/sw/compute_bare.elf" | sed -nE 's/.*loop cycles ([0-9]+)/\1/p')
awk -v v="$vm" -v b="$bare" 'BEGIN { printf "compute in a VM: %d cycles, bare metal %d: overhead %.2f%%\n", v, b, 100 * (v - b) / b }'
