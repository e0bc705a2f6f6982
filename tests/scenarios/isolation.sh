#!/usr/bin/env bash
# isolation.sh TRIMODE SW_DIR PROGRAM [VERDICT]
# Runs PROGRAM (a hostile program) in vm1 beside vm2 running hello, compute and
# victim, and the same with vm1 running hello instead. PASS when:
#  - the hostile run ends normally (exit 0) and vm2 exits with code 0 in both;
#  - the attack was refused: the run shows PROGRAM's verdict line (below, or
#    VERDICT when given: one that holds limits of spec/limits.txt), which only
#    appears when the hypervisor or the kernel refused or contained it;
#  - the victim asserted its own services (files, port, console, memory, CPU)
#    while the attacker ran: "[vm2] victim: all services ok";
#  - the console is intact: no raw control byte, and no line that the attacker
#    forged (text "FORGED") starts as another VM's or the hypervisor's line;
#  - the hypervisor logged at most TM_DENIED_LOG (environment, the limit
#    denied_log of spec/limits.txt) "[hv] denied: vm1" lines, and counted the
#    rest ("[hv] vm1: N more refusals not logged"): vm1 cannot flood the log;
#  - every line vm2 printed is byte-identical between the two runs, except
#    elapsed time ("... 33037 us", "loop cycles N", the victim's cpu figure),
#    which a VM sharing the CPU changes by design (fair share); compared as
#    sorted sets, since vm2's processes interleave their lines by timing.
set -u
tm=$1; sw=$2; prog=$3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
# The verdict each attack must produce (a fixed string in the hostile run's output).
case $prog in
  h_memory)   verdict="[vm1] all refused; now storing beyond my bound" ;;
  h_segtable) verdict="killed: sensitive_insn" ;;
  h_devices)  verdict="killed: store_access_fault" ;;
  h_exit)     verdict="killed: illegal_insn" ;;
  h_jump)     verdict="killed: insn_access_fault" ;;
  h_memhog)   verdict="[vm1] sbrk refused after" ;;
  h_spin)     verdict="[vm1 kernel] pid 1 killed: CPU limit" ;;
  h_k*)       verdict="[hv] vm1 stopped:" ;;
  h_forge)    verdict="[vm1] forge: refused" ;;
  h_files)    verdict="[vm1] file bytes: refused after 8192 bytes (-122)" ;;
  h_fds)      verdict="[vm1] fds: released" ;;
  h_queue)    verdict="[vm1] queue: refused after 4 messages (-11)" ;;
  h_hook)     verdict="[vm1] test hook op 0: refused (-38)" ;;
  h_keys)     verdict="[vm1] keys: refused (quota after" ;;
  h_procs)    verdict="[vm1] procs: refused after" ;;
  h_logflood) verdict="[vm1] log flood: 200 of 200 refused (-1)" ;;
  *) echo "isolation.sh: no verdict known for $prog"; exit 2 ;;
esac
[ $# -ge 4 ] && verdict=$4
# Only the compromised-kernel cases open the guest kernel's fault-injection hook.
hooks=""; case $prog in h_k*) hooks='"test_hooks": true,' ;; esac
scenario() {  # $1: vm1's program
  cat <<JSON
{"vms": [{"name": "vm1", "memory": "1MiB", "weight": 1, "programs": ["$1"]},
         {"name": "vm2", "memory": "1MiB", "weight": 1, "programs": ["hello", "compute", "victim"]}],
 "files": [{"vm": "vm2", "path": "private", "content": "vm2 only"}],
 "filters": [{"from": "vm1", "to": "vm2", "send": 7}],
 $hooks
 "timeslice_us": 100}
JSON
}
scenario "$prog" > "$dir/hostile.json"
scenario hello > "$dir/baseline.json"
"$tm" run --scenario "$dir/hostile.json" --sw-dir "$sw" --max-instructions 400000000 > "$dir/hostile.out" 2>&1
rc=$?
"$tm" run --scenario "$dir/baseline.json" --sw-dir "$sw" > "$dir/baseline.out" 2>&1
fail() { echo "FAILURE: $prog: $*"; echo "--- hostile run:"; tail -40 "$dir/hostile.out" | cat -v; exit 1; }
# 205: vm1 ended with a non-zero code (its kernel counts the processes it killed).
[ $rc -eq 0 ] || [ $rc -eq 205 ] || fail "the run ended with exit code $rc"
grep -q "^VM 2 (vm2): exited, code 0" "$dir/hostile.out" || fail "vm2 did not exit cleanly"
grep -qF -- "$verdict" "$dir/hostile.out" || fail "no verdict '$verdict': the attack was not shown refused"
grep -q '^\[vm2\] victim: all services ok$' "$dir/hostile.out" || fail "the victim's services did not all work"
denied=$(grep -c '^\[hv\] denied: vm1 ' "$dir/hostile.out")
[ "$denied" -le "${TM_DENIED_LOG:?the limit denied_log}" ] || fail "$denied refusals of vm1 logged (limit $TM_DENIED_LOG)"
if [ "$prog" = h_logflood ]; then
  [ "$denied" -eq "$TM_DENIED_LOG" ] || fail "$denied refusals of vm1 logged, not the first $TM_DENIED_LOG"
  grep -q "^\[hv\] vm1: $((200 - TM_DENIED_LOG)) more refusals not logged$" "$dir/hostile.out" ||
    fail "the refusals beyond the log limit were not counted"
fi
LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$dir/hostile.out" && fail "a raw control byte reached the console"
grep -E '^\[(vm2|hv)\] FORGED' "$dir/hostile.out" && fail "a forged line passes for vm2's or the hypervisor's"
mask() { grep '^\[vm2' "$1" | sed -E 's/[0-9]+ us$/<elapsed> us/; s/loop cycles [0-9]+/loop cycles <elapsed>/; s/cpu ok \([0-9]+\)/cpu ok (<us>)/' | LC_ALL=C sort; }
mask "$dir/hostile.out" > "$dir/vm2.hostile"
mask "$dir/baseline.out" > "$dir/vm2.baseline"
[ -s "$dir/vm2.baseline" ] || fail "vm2 printed nothing in the baseline"
diff -u "$dir/vm2.baseline" "$dir/vm2.hostile" || fail "vm2's output differs from the run without $prog"
echo "--- how $prog was contained:"
grep -F -- "$verdict" "$dir/hostile.out" | head -3
echo PASS
