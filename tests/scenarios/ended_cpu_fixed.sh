#!/usr/bin/env bash
# ended_cpu_fixed.sh TRIMODE SW_DIR SCENARIO
# A VM's CPU stops at its end: at any point of the run after a VM has exited,
# the summary's ticks for it are those of the whole run. Until 2026-12-06 the
# hypervisor's scrub of an ended VM's memory (about 8 ms of V's time per MiB)
# was charged to it by the next switch: the default scenario's VMs showed
# about 100,000 ticks each at the end, 20,000 a moment after they exited.
set -u
tm=$1; sw=$2; scen=$3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
"$tm" run --scenario "$scen" --sw-dir "$sw" --stats > "$dir/full.out" 2> "$dir/full.err" || { echo "FAILURE: the whole run failed"; exit 1; }
total=$(sed -n 's/^instructions retired *\([0-9]*\).*/\1/p' "$dir/full.err")
[ -n "$total" ] || { echo "FAILURE: no instruction count in --stats"; exit 1; }
grep '^VM .*exited' "$dir/full.out" > "$dir/full.vms"
[ -s "$dir/full.vms" ] || { echo "FAILURE: no VM exited in the whole run"; exit 1; }
fails=0 seen=0
for pct in 80 85 90 95 99; do
  n=$((total * pct / 100))
  "$tm" run --scenario "$scen" --sw-dir "$sw" --max-instructions "$n" > "$dir/cut.out" 2>/dev/null
  while IFS= read -r line; do
    seen=$((seen + 1))
    vm=${line%%:*}
    want=$(grep -F "$vm:" "$dir/full.vms" | sed 's/.*cpu \([0-9]*\) ticks.*/\1/')
    got=$(echo "$line" | sed 's/.*cpu \([0-9]*\) ticks.*/\1/')
    if [ "$got" != "$want" ]; then
      echo "FAILURE: at $n of $total instructions, $vm has exited with $got ticks; the whole run says $want"
      fails=$((fails + 1))
    fi
  done < <(grep '^VM .*exited' "$dir/cut.out")
done
[ $seen -gt 0 ] || { echo "FAILURE: no VM had exited at any cut (the check checked nothing)"; exit 1; }
[ $fails -eq 0 ] || exit 1
echo "PASS: $seen exited VMs at 5 cuts kept their whole-run ticks ($(tr '\n' ' ' < "$dir/full.vms"))"
