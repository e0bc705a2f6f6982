#!/bin/sh
# layers.py must fail on a copy of sw/hypervisor with an upward include
# (the VM layer including the scheduler) and on a stray extern (the I/O layer
# reaching the scheduler's hv_cur), each with a line naming it.
set -u
py=$1 check=$2 hv=$3
d=$(mktemp -d) || exit 1
trap 'rm -rf "$d"' EXIT
fail() { echo "layers_selftest: $*" >&2; exit 1; }
cp -r "$hv" "$d/up" && printf '#include "scheduler.h"\n' >> "$d/up/vm.c"
"$py" "$check" "$d/up" 2> "$d/up.err" && fail "an upward include passed"
grep -q 'vm.c (vm) includes scheduler.h of the higher layer sched' "$d/up.err" || fail "no line for the upward include: $(cat "$d/up.err")"
cp -r "$hv" "$d/ext" && printf 'extern struct vm *hv_cur;\n' >> "$d/ext/io.c"
"$py" "$check" "$d/ext" 2> "$d/ext.err" && fail "a stray extern passed"
grep -q 'io.c: declares extern hv_cur' "$d/ext.err" || fail "no line for the extern: $(cat "$d/ext.err")"
cp -r "$hv" "$d/new" && : > "$d/new/stray.c"
"$py" "$check" "$d/new" 2> "$d/new.err" && fail "a file in no layer passed"
"$py" "$check" "$hv" || fail "the real tree fails"
echo "layers_selftest: upward include, stray extern and unplaced file all refused"
