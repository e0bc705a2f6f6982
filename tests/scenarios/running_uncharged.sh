#!/usr/bin/env bash
# running_uncharged.sh TRIMODE SW_DIR SCENARIO
# A run stopped (--max-instructions) just after the hypervisor created its VMs,
# before any VM's first time slice ended: each VM's summary line says it is
# still running, with no exit code (it has none yet) and why its CPU is 0
# ("no CPU charged to it yet": the hypervisor charges at its timer interrupts and switches). A run stopped later: the VMs' CPU
# counted, no such note. The first limit past the boot is found by bisection,
# so the test follows the hypervisor's code as it changes.
set -u
tm=$1; sw=$2; scenario=$3
fail() { echo "FAILURE: $*"; exit 1; }
run() { "$tm" run --scenario "$scenario" --sw-dir "$sw" --max-instructions "$1" 2>&1; }
lo=100000 hi=50000000
run $lo | grep -q '^VM 1 (vm1): not started' || fail "$lo instructions: vm1 not 'not started'"
run $hi | grep -q '^VM 1 (vm1): not started' && fail "$hi instructions: still booting"
while [ $((hi - lo)) -gt 1 ]; do
  mid=$(((lo + hi) / 2))
  if run $mid | grep -q '^VM 1 (vm1): not started'; then lo=$mid; else hi=$mid; fi
done
out=$(run $hi); rc=$?
[ "$rc" = 202 ] || fail "exit $rc at $hi instructions, want 202"
for vm in 1 2; do
  grep -qxF "VM $vm (vm$vm): still running, weight 1, cpu 0 ticks (0.0%): no CPU charged to it yet" <<< "$out" ||
    fail "at $hi instructions: $(grep '^VM' <<< "$out")"
done
echo "$hi instructions (the first past the boot): both VMs still running, no slice ended"
later=$(run $((hi + 1000000)))
grep -q '^VM [12] .*still running.*code' <<< "$later" && fail "a running VM shows a code: $(grep '^VM' <<< "$later")"
grep -q "no CPU charged" <<< "$later" && fail "a million instructions later: $(grep '^VM' <<< "$later")"
grep -qE '^VM 1 \(vm1\): still running, weight 1, cpu [1-9][0-9]* ticks' <<< "$later" || fail "later: $(grep '^VM' <<< "$later")"
echo PASS
