#!/bin/sh
# scripts/waves-bench.sh, one round on memtest, with a PATH of the basic tools it is
# meant to need (coreutils, awk, bash): each row gets a wall time, a cpu time and a slowdown,
# and no command is missing. (It once did its arithmetic with bc, which install-deps.sh
# does not install: without bc every figure read 0.)
# Usage: waves_bench_smoke.sh SOURCE_DIR BUILD_DIR SCRATCH
set -eu
src=$1 build=$2 scratch=$3
bin=$scratch/waves_bench_path
rm -rf "$bin"; mkdir -p "$bin"
for t in bash sh awk sort cut cat stat mktemp rm seq dirname basename; do
  p=$(command -v "$t") || { echo "FAIL: $t not found"; exit 1; }
  ln -s "$p" "$bin/$t"
done
out=$scratch/waves_bench.out err=$scratch/waves_bench.err
PATH=$bin ROUNDS=1 PROGRAMS=memtest "$src/scripts/waves-bench.sh" "$build" > "$out" 2> "$err" || { echo "FAIL: waves-bench.sh exited $?"; cat "$err"; exit 1; }
cat "$out"
if grep -q 'not found' "$err"; then echo "FAIL: a command is missing:"; grep 'not found' "$err"; exit 1; fi
# program, trace name (one to three words), wall, slowdown, cpu, slowdown, bytes: 5 traces, each > 0.
awk '$1 == "memtest" && NF >= 7 { rows++; if ($(NF-4) + 0 <= 0 || $(NF-3) + 0 <= 0 || $(NF-2) + 0 <= 0 || $(NF-1) + 0 <= 0) bad++ }
     END { if (rows != 5 || bad) { printf "FAIL: %d rows, %d with a zero figure\n", rows, bad; exit 1 } }' "$out"
