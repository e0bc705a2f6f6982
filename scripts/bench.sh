#!/usr/bin/env bash
# Prints Trimode's performance figures (docs/performance.md): MIPS on the CPU
# benchmark against qemu-system-riscv32 on the same ELF, the memory-heavy
# program with DMI on and off, and the exhaustive kind-table check.
# Usage: scripts/bench.sh [BUILD_DIR]   (after `make build`)
set -euo pipefail
B=${1:-build}
TM=$B/trimode
SW=$B/sw
best() { sort -g | head -1; }

echo "== bench_cpu: trimode (3 runs, best)"
for i in 1 2 3; do $TM run $SW/bench_cpu.elf --stats 2>&1 >/dev/null | awk '/host time/ {print $3}'; done | best | \
  awk -v n="$($TM run $SW/bench_cpu.elf --stats 2>&1 >/dev/null | awk '/instructions retired/ {print $3}')" \
  '{printf "trimode  %d instructions in %.3f s = %.0f MIPS\n", n, $1, n / $1 / 1e6}'

if command -v qemu-system-riscv32 >/dev/null; then
  echo "== bench_cpu: qemu-system-riscv32 -M virt (3 runs, best, wall clock incl. start-up)"
  for i in 1 2 3; do
    s=$(date +%s.%N)
    qemu-system-riscv32 -M virt -bios none -nographic -monitor none -serial null -kernel $SW/bench_cpu.elf
    e=$(date +%s.%N)
    awk -v s="$s" -v e="$e" 'BEGIN { print e - s }'
  done | best | awk '{printf "qemu     %.3f s\n", $1}'
fi

echo "== memtest (segment-checked accesses), DMI on and off"
for flag in "" "--no-dmi"; do
  $TM run $SW/memtest.elf --stats $flag 2>&1 >/dev/null | \
    awk -v f="${flag:-dmi}" '/instructions retired/ {n=$3} /host time/ {t=$3} /memctl/ {m=$0} END {printf "%-9s %d instructions, %.3f s, %.1f MIPS; %s\n", f, n, t, n/t/1e6, m}'
done

if [ -x $B/tests/classifier/bench_classifier ]; then
  echo "== the kind table over all 2^32 words"
  $B/tests/classifier/bench_classifier 2>/dev/null
fi
