#!/usr/bin/env bash
# qemu_diff.sh TRIMODE_BIN QEMU ELF
#
# Runs one bare-metal ELF on trimode (`TRIMODE_BIN run ELF`) and on QEMU virt
# (`QEMU -M virt -bios none ... -kernel ELF`), each under `timeout`, and
# compares what the program printed on the UART (stdout) and its exit code
# (the finisher code). Prints a unified diff and `FAILURE: ...` on any
# mismatch, `PASS` otherwise. Exit status 0 only on PASS.
#
# Environment: QEMU_DIFF_TIMEOUT  seconds per run (default 300).
# trimode must write only the guest's UART output to stdout (logs go to
# stderr); SystemC's banner is silenced below.
set -u

if [ $# -ne 3 ]; then
  echo "usage: $0 TRIMODE_BIN QEMU ELF" >&2
  exit 2
fi
trimode_bin=$1
qemu=$2
elf=$3
limit=${QEMU_DIFF_TIMEOUT:-300}

for f in "$trimode_bin" "$elf"; do
  if [ ! -e "$f" ]; then
    echo "FAILURE: $f does not exist"
    exit 1
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# TRIMODE_ARGS: extra options of `trimode run` (word-split), e.g. --misaligned=emulate.
SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 timeout "$limit" "$trimode_bin" run ${TRIMODE_ARGS:-} "$elf" \
  </dev/null >"$work/trimode.out" 2>"$work/trimode.err"
trimode_rc=$?
timeout "$limit" "$qemu" -M virt -bios none -nographic -monitor none -serial stdio \
  -kernel "$elf" </dev/null >"$work/qemu.out" 2>"$work/qemu.err"
qemu_rc=$?

status=0
if ! diff -u --label "qemu stdout" --label "trimode stdout" \
    "$work/qemu.out" "$work/trimode.out"; then
  echo "FAILURE: $(basename "$elf"): stdout differs between QEMU and trimode"
  status=1
fi
if [ "$trimode_rc" -ne "$qemu_rc" ]; then
  echo "FAILURE: $(basename "$elf"): exit code trimode=$trimode_rc qemu=$qemu_rc (124 = timeout)"
  status=1
fi
if [ $status -ne 0 ]; then
  echo "--- trimode stderr (last 40 lines)"
  tail -n 40 "$work/trimode.err"
  echo "--- qemu stderr (last 20 lines)"
  tail -n 20 "$work/qemu.err"
  exit 1
fi
echo "PASS: $(basename "$elf"): $(wc -l <"$work/qemu.out") lines, exit $qemu_rc"
exit 0
