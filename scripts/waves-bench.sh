#!/usr/bin/env bash
# Prints what the platform trace costs (docs/debugging.md, "Waveforms"): for
# each program, the untraced run, the run with --fst and with --vcd (whole
# run, for programs of up to 5 M instructions), and --fst with windows of
# 10,000 and 1,000,000 instructions at the end; wall time (median of ROUNDS),
# the slowdown against the untraced run and the file's bytes per traced
# instruction. cpu: user + system seconds of all threads (the FST writer packs
# blocks on a second thread), steadier than wall time on a loaded machine.
#
# Usage: scripts/waves-bench.sh [BUILD_DIR]     (after `make build`)
# Environment: ROUNDS (default 3), PROGRAMS (default "memtest bench_mix").
set -euo pipefail
B=${1:-build}
TM=$B/trimode
ROUNDS=${ROUNDS:-3}
PROGRAMS=${PROGRAMS:-memtest bench_mix}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# "WALL CPU": median wall and cpu seconds of a command (output discarded).
wall() {
  local t=$out/time w=() c=()
  for _ in $(seq "$ROUNDS"); do
    { TIMEFORMAT='%R %U %S'; time "$@" > /dev/null 2>&1; } 2> "$t"
    read -r e u s < "$t"
    w+=("$e") c+=("$(echo "$u + $s" | bc -l)")
  done
  echo "$(printf '%s\n' "${w[@]}" | median) $(printf '%s\n' "${c[@]}" | median)"
}

printf '%-10s %-22s %9s %9s %9s %9s %12s\n' program trace wall slowdown cpu slowdown bytes/insn
for p in $PROGRAMS; do
  elf=$B/sw/$p.elf
  insns=$("$TM" run "$elf" --stats 2>&1 >/dev/null | awk '/instructions retired/ { print $3 }')
  read -r base cbase <<< "$(wall "$TM" run "$elf")"
  printf '%-10s %-22s %9.3f %9s %9.3f %9s %12s\n' "$p" none "$base" 1.0 "$cbase" 1.0 -
  traces=("fst window 10k" "fst window 1M")
  [ "$insns" -le 5000000 ] && traces+=("fst" "vcd")
  for t in "${traces[@]}"; do
    case $t in
      fst) args=(--fst "$out/w.fst"); file=$out/w.fst; n=$insns ;;
      vcd) args=(--vcd "$out/w.vcd"); file=$out/w.vcd; n=$insns ;;
      *) n=$([ "$t" = "fst window 10k" ] && echo 10000 || echo 1000000)
         [ "$n" -gt "$insns" ] && n=$insns
         args=(--fst "$out/x.fst" --trace-from $((insns - n)) --trace-to "$insns"); file=$out/x.fst ;;
    esac
    read -r s c <<< "$(wall "$TM" run "$elf" "${args[@]}")"
    printf '%-10s %-22s %9.3f %9.1f %9.3f %9.1f %12.2f\n' "$p" "$t" "$s" "$(echo "$s / $base" | bc -l)" \
      "$c" "$(echo "$c / $cbase" | bc -l)" \
      "$(echo "$(stat -c %s "$file") / $n" | bc -l)"
  done
  echo "$p: $insns instructions"
done
