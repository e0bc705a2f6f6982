#!/usr/bin/env bash
# isolation.sh TRIMODE SW_DIR PROGRAM
# Runs PROGRAM (a hostile program) in vm1 beside vm2 running hello + compute,
# and the same with vm1 running hello instead. PASS when: the hostile run ends
# normally (exit 0), vm2 exits with code 0 in both, and every line vm2 printed is
# byte-identical between the two runs (the hostile VM changed nothing for it) --
# except elapsed time ("... 33037 us", "loop cycles N"), which a VM sharing the CPU changes
# by design (fair share), so it is masked before comparing.
set -u
tm=$1; sw=$2; prog=$3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
scenario() {  # $1: vm1's program
  cat <<JSON
{"vms": [{"name": "vm1", "memory": "1MiB", "weight": 1, "programs": ["$1"]},
         {"name": "vm2", "memory": "1MiB", "weight": 1, "programs": ["hello", "compute"]}],
 "files": [{"vm": "vm2", "path": "private", "content": "vm2 only"}],
 "timeslice_us": 100}
JSON
}
scenario "$prog" > "$dir/hostile.json"
scenario hello > "$dir/baseline.json"
"$tm" run --scenario "$dir/hostile.json" --sw-dir "$sw" --max-instructions 400000000 > "$dir/hostile.out" 2>&1
rc=$?
"$tm" run --scenario "$dir/baseline.json" --sw-dir "$sw" > "$dir/baseline.out" 2>&1
fail() { echo "FAILURE: $prog: $*"; echo "--- hostile run:"; tail -40 "$dir/hostile.out"; exit 1; }
[ $rc -eq 0 ] || fail "the run ended with exit code $rc"
grep -q "^VM 2 (vm2): exited, code 0" "$dir/hostile.out" || fail "vm2 did not exit cleanly"
mask() { grep '^\[vm2' "$1" | sed -E 's/[0-9]+ us$/<elapsed> us/; s/loop cycles [0-9]+/loop cycles <elapsed>/'; }
mask "$dir/hostile.out" > "$dir/vm2.hostile"
mask "$dir/baseline.out" > "$dir/vm2.baseline"
[ -s "$dir/vm2.baseline" ] || fail "vm2 printed nothing in the baseline"
diff -u "$dir/vm2.baseline" "$dir/vm2.hostile" || fail "vm2's output differs from the run without $prog"
echo "--- how $prog was contained:"
grep -E "killed|stopped|denied|refused|-1[24] ok|ended with" "$dir/hostile.out" | head -5
echo PASS
