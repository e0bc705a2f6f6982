#!/bin/sh
# The soak scenario stays runnable (scripts/soak.sh runs it for 10^9 instructions): a
# short run ends at the instruction limit, vm4's soak program chains rounds through its
# state file (the other VMs' rounds are longer), nothing reports a lost resource.
#   soak_short.sh TRIMODE SW_DIR SCENARIO OUT
tm=$1 sw=$2 scenario=$3 out=$4
"$tm" run --scenario "$scenario" --sw-dir "$sw" --max-instructions 30000000 > "$out" 2>&1
rc=$?
[ $rc -eq 202 ] || { echo "FAILURE: exit $rc, not 202 (instruction limit)"; tail -3 "$out"; exit 1; }
grep -q '^\[vm4\] soak: round 3 ran 4 programs' "$out" || { echo "FAILURE: vm4 did not reach round 3"; exit 1; }
if grep -E 'LOST A RESOURCE|soak: cannot' "$out"; then echo "FAILURE: a VM lost a resource"; exit 1; fi
echo PASS
