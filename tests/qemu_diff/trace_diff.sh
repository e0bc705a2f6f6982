#!/usr/bin/env bash
# trace_diff.sh TRIMODE QEMU ELF
# The retired-instruction trace of trimode (--trace-insn) against QEMU's, as the
# sequence of pcs: QEMU runs one instruction per translation block
# (-singlestep) and logs every block it executes (-d exec,nochain); its reset
# ROM (before 0x80000000) is dropped. PASS when both executed the same
# instructions in the same order; FAILURE with the first difference otherwise.
set -u
tm=$1; qemu=$2; elf=$3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
"$tm" run "$elf" --trace-insn "$dir/trimode.trace" > /dev/null || { echo "FAILURE: trimode run failed"; exit 1; }
timeout 120 "$qemu" -M virt -bios none -nographic -monitor none -serial null -kernel "$elf" \
  -singlestep -d exec,nochain -D "$dir/qemu.log" || { echo "FAILURE: qemu failed"; exit 1; }
# One awk pass over "Trace N: 0xHOST [FLAGS/PC/...]" lines (a sed -E with a
# capture group took ~20 CPU-s on 2 M lines: qemu_trace.rv32i_counters timed out
# under load; this takes ~1 s).
awk -F/ '/^Trace [0-9]+: 0x[0-9a-f]+ \[[0-9a-f]+\// && $2 ~ /^[0-9a-f]+$/ {
  pc = "0x" $2; if (pc == "0x80000000") on = 1; if (on) print pc }' "$dir/qemu.log" > "$dir/qemu.pcs"
awk '$1 != "--" { print $2 }' "$dir/trimode.trace" > "$dir/trimode.pcs"  # "--": trap lines
n=$(wc -l < "$dir/trimode.pcs")
[ "$n" -gt 100 ] || { echo "FAILURE: only $n instructions traced"; exit 1; }
if ! diff "$dir/qemu.pcs" "$dir/trimode.pcs" > "$dir/diff"; then
  echo "FAILURE: the instruction traces differ (qemu < > trimode), first lines:"; head -8 "$dir/diff"; exit 1
fi
echo "PASS: $n instructions retired in the same order"
