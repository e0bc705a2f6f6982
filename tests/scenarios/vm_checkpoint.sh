#!/usr/bin/env bash
# vm_checkpoint.sh TRIMODE SW_DIR SCENARIOS_DIR MASK: VM checkpoint and resume
# in the hypervisor (docs/software.md, "VM checkpoint and resume").
#  1. The default scenario, vm1 checkpointed at 50 ms (its receiver process,
#     pid 2, alive, in the middle of its file checks) and resumed at 52 ms:
#     vm1 prints exactly the lines, in the order, of the uninterrupted run
#     (same PIDs), and the masked log of every VM equals the uninterrupted one.
#  1b. The same with "move": true: vm1 resumes into other memory (kernel
#     region rebased), its lines are still those of the uninterrupted run.
#  2. The guest asks for it (ecall checkpoint -> hcall vm_checkpoint):
#     ckself keeps its pid, an open file and a computation across the gap.
#  3. A checkpoint of a VM that does not exist, a resume before the
#     checkpoint, a bad key: one line each, exit 201.
#  4. V's time for a checkpoint is charged to no other VM (the scenario's to
#     none, the guest's own to itself).
set -u
tm=$1 sw=$2 scen=$3 mask=$4
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail() { echo "FAILURE: $*"; exit 1; }

python3 - "$scen/default.json" "$dir/ck.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["checkpoints"] = [{"vm": "vm1", "at_us": 50000, "resume_us": 52000}]
json.dump(d, open(sys.argv[2], "w"))
PY
"$tm" run --scenario "$scen/default.json" --sw-dir "$sw" > "$dir/base.out" 2>&1; base_rc=$?
"$tm" run --scenario "$dir/ck.json" --sw-dir "$sw" > "$dir/ck.out" 2>&1; ck_rc=$?
[ "$base_rc" = 0 ] && [ "$ck_rc" = 0 ] || fail "exit codes $base_rc (uninterrupted) and $ck_rc (checkpointed)"
at=$(grep -n '^\[hv\] vm1 checkpointed: suspended' "$dir/ck.out" | cut -d: -f1)
back=$(grep -n '^\[hv\] vm1 resumed$' "$dir/ck.out" | cut -d: -f1)
[ -n "$at" ] && [ -n "$back" ] && [ "$back" -gt "$at" ] || { cat "$dir/ck.out"; fail "no checkpoint and resume of vm1"; }
# mid-run: vm1 printed before the checkpoint, and its pid 2 ended after the resume
head -n "$at" "$dir/ck.out" | grep -q '^\[vm1\] ' || fail "vm1 had printed nothing before its checkpoint"
tail -n +"$back" "$dir/ck.out" | grep -q '^\[vm1 kernel\] pid 2 exited, code 0$' || fail "vm1's pid 2 did not live across the checkpoint"
grep '^\[vm1' "$dir/base.out" > "$dir/base.vm1"
grep '^\[vm1' "$dir/ck.out" > "$dir/ck.vm1"
grep -q 'pid 1' "$dir/base.vm1" && grep -q 'pid 2' "$dir/base.vm1" || fail "no PIDs in vm1's lines"
diff "$dir/base.vm1" "$dir/ck.vm1" || fail "vm1's lines differ from the uninterrupted run"
# every VM's lines, masked (timing, interleaving): as in the uninterrupted run
vm_groups() { "$mask" "$1" | awk '/^## /{keep = ($0 ~ /^## vm[0-9]/)} keep'; }
vm_groups "$dir/base.out" > "$dir/base.vms"
vm_groups "$dir/ck.out" > "$dir/ck.vms"
[ -s "$dir/base.vms" ] || fail "no VM groups in the masked log"
diff "$dir/base.vms" "$dir/ck.vms" || fail "the VMs' masked lines differ from the uninterrupted run"
echo "default scenario, vm1 checkpointed at 50 ms and resumed at 52 ms: $(wc -l < "$dir/ck.vm1") vm1 lines as uninterrupted"

# 1b. the same, resumed into other memory ("move": true): the kernel region and
# the rest move (the kernel is rebased and told through its resume entry);
# vm1's lines are still exactly the uninterrupted run's, the map shows where.
python3 - "$scen/default.json" "$dir/mv.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["checkpoints"] = [{"vm": "vm1", "at_us": 50000, "resume_us": 52000, "move": True}]
json.dump(d, open(sys.argv[2], "w"))
PY
"$tm" run --scenario "$dir/mv.json" --sw-dir "$sw" > "$dir/mv.out" 2>&1 || { cat "$dir/mv.out"; fail "moved run: exit $?"; }
grep -q '^\[hv\] vm1 resumed into other memory (2 of its 2 segments moved):$' "$dir/mv.out" || { cat "$dir/mv.out"; fail "vm1 did not move"; }
moves=$(grep -E '^\[hv\]   0x[0-9a-f]{8} -> 0x[0-9a-f]{8} ' "$dir/mv.out")
[ "$(echo "$moves" | wc -l)" = 2 ] || fail "not two moved segments: $moves"
kold=$(grep -oE '^\[hv\] vm1: VM 1, .* kernel image "kernel" at 0x[0-9a-f]{8}' "$dir/mv.out" | grep -oE '0x[0-9a-f]{8}$')
echo "$moves" | grep -q "^\[hv\]   $kold -> " || fail "the kernel region ($kold) is not among the moved: $moves"
echo "$moves" | while read -r _ old _ new _; do
  [ "$old" != "$new" ] || fail "segment $old did not move"
  sed -n '/^\[hv\] memory map (after the resume):$/,/^\[hv\] [^ ]/p' "$dir/mv.out" | grep -Eq "^\[hv\]   0x[0-9a-f]{8} +[0-9]+ KiB  vm1$" ||
    fail "no vm1 range in the map after the resume"
done || exit 1
grep '^\[vm1' "$dir/mv.out" > "$dir/mv.vm1"
diff "$dir/base.vm1" "$dir/mv.vm1" || fail "moved: vm1's lines differ from the uninterrupted run"
vm_groups "$dir/mv.out" > "$dir/mv.vms"
diff "$dir/base.vms" "$dir/mv.vms" || fail "moved: the VMs' masked lines differ from the uninterrupted run"
echo "default scenario, vm1 resumed into other memory: $moves" | tr '\n' ' '; echo

# 2. the guest's own request
cat > "$dir/self.json" <<JSON
{"vms": [{"name": "vm1", "memory": "1MiB", "programs": ["ckself"]},
         {"name": "vm2", "memory": "1MiB", "programs": ["hello"]}]}
JSON
"$tm" run --scenario "$dir/self.json" --sw-dir "$sw" > "$dir/self.out" 2>&1 || { cat "$dir/self.out"; fail "ckself run: exit $?"; }
for want in '^\[vm1\] ckself: pid 1 before$' '^\[hv\] vm1 checkpointed: suspended, resumes in 2 ms$' '^\[hv\] vm1 resumed$' \
            '^\[vm1\] ckself: pid 1 after, checkpoint returned 0, getpid 1$' \
            '^\[vm1\] ckself: log.txt \(12 bytes\): before;after, mix 0x[0-9a-f]{8}$' '^VM 1 \(vm1\): exited, code 0,'; do
  grep -Eq "$want" "$dir/self.out" || { cat "$dir/self.out"; fail "ckself: no line $want"; }
done
echo "guest hypercall: ckself kept pid 1, its open file and its computation across the checkpoint"

# 4. V's time for a checkpoint and its resume is no other VM's: before, the
# VM that ran next was charged it (a scenario checkpoint of a 1 MiB VM cost
# another VM about 1 s of CPU, a CPU-bound third VM got nothing meanwhile and
# the run failed with 205). A scenario's checkpoint is charged to none: the
# others' CPU ticks are those of the run without it, and the checkpointed
# VM's CPU budget does not run out; the guest's own is charged to itself.
ticks() { sed -nE "s/^VM [0-9]+ \($2\): .* cpu ([0-9]+) ticks .*/\1/p" "$1"; }
near() { # a, b: within 2 % of each other (a VM's own run varies only with the slices' edges)
  [ -n "$1" ] && [ -n "$2" ] && [ $(( ($1 > $2 ? $1 - $2 : $2 - $1) * 50 )) -le "$2" ]
}
python3 - "$scen/default.json" "$dir" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["vms"].append({"name": "busy", "memory": "1MiB", "programs": ["compute"]})
json.dump(d, open(sys.argv[2] + "/busy.json", "w"))
d["checkpoints"] = [{"vm": "vm1", "at_us": 50000, "resume_us": 52000}]
json.dump(d, open(sys.argv[2] + "/busy_ck.json", "w"))
d["vms"][0].setdefault("limits", {})["cpu_ms"] = 100
json.dump(d, open(sys.argv[2] + "/busy_ck_budget.json", "w"))
PY
for f in busy busy_ck busy_ck_budget; do
  "$tm" run --scenario "$dir/$f.json" --sw-dir "$sw" > "$dir/$f.out" 2>&1; rc=$?
  [ "$rc" = 0 ] || { tail -20 "$dir/$f.out"; fail "$f: exit $rc"; }
done
grep -q '^\[hv\] vm1 resumed$' "$dir/busy_ck.out" || fail "busy_ck: vm1 not checkpointed and resumed"
for vm in vm2 busy; do
  near "$(ticks "$dir/busy_ck.out" $vm)" "$(ticks "$dir/busy.out" $vm)" ||
    fail "$vm: $(ticks "$dir/busy_ck.out" $vm) CPU ticks with vm1's checkpoint, $(ticks "$dir/busy.out" $vm) without"
done
grep -q '^\[hv\] vm1 stopped: CPU budget' "$dir/busy_ck_budget.out" && fail "vm1's CPU budget ran out through its checkpoint"
"$tm" run --scenario "$dir/self.json" --sw-dir "$sw" > "$dir/self.out" 2>&1
sed 's/"ckself"/"hello"/' "$dir/self.json" > "$dir/self0.json"
"$tm" run --scenario "$dir/self0.json" --sw-dir "$sw" > "$dir/self0.out" 2>&1; rc=$?
[ "$rc" = 0 ] || fail "self0: exit $rc"
near "$(ticks "$dir/self.out" vm2)" "$(ticks "$dir/self0.out" vm2)" ||
  fail "vm2: $(ticks "$dir/self.out" vm2) CPU ticks beside ckself's checkpoint, $(ticks "$dir/self0.out" vm2) beside hello"
[ "$(ticks "$dir/self.out" vm1)" -gt $(( 10 * $(ticks "$dir/self0.out" vm1) )) ] ||
  fail "ckself's own checkpoint not charged to it: $(ticks "$dir/self.out" vm1) CPU ticks (hello: $(ticks "$dir/self0.out" vm1))"
echo "checkpoint time: the others' CPU ticks as without it ($(ticks "$dir/busy_ck.out" busy) busy), the guest's own on itself"

# checkpoints that cannot be taken: one line each naming the VM (by its name, as every [hv] line about a VM) and why
# (it said "checkpoint of VM 1 skipped: it is not running" for an ended VM and for one an earlier checkpoint suspended)
skip() { # name, checkpoints JSON, expected line[, program: hello]
  printf '{"vms": [{"name": "vm1", "memory": "1MiB", "programs": ["%s"]}], "checkpoints": %s}' "${4:-hello}" "$2" > "$dir/$1.json"
  "$tm" run --scenario "$dir/$1.json" --sw-dir "$sw" > "$dir/$1.out" 2>&1; rc=$?
  [ "$rc" = 0 ] || { cat "$dir/$1.out"; fail "$1: exit $rc"; }
  grep -qxF "$3" "$dir/$1.out" || { cat "$dir/$1.out"; fail "$1: no line: $3"; }
}
skip ended '[{"vm": "vm1", "at_us": 30000, "resume_us": 40000}]' '[hv] vm1: checkpoint at 30000 us skipped: it has ended'
# (overlap: a VM that runs in U, where a checkpoint is taken; hello's few U instructions may fall between
# two switches, and its checkpoint is deferred until it has ended)
skip overlap '[{"vm": "vm1", "at_us": 10, "resume_us": 20000}, {"vm": "vm1", "at_us": 15, "resume_us": 30000}]' \
  '[hv] vm1: checkpoint at 15 us skipped: it is suspended (an earlier checkpoint)' compute
# (its resume time, 20 ms, is past when it is taken, after the hypervisor's boot: it said "resumes in 0 ms")
grep -qxF '[hv] vm1 checkpointed: suspended, resumes at the next switch' "$dir/overlap.out" || { cat "$dir/overlap.out"; fail "overlap: no 'resumes at the next switch'"; }
skip late '[{"vm": "vm1", "at_us": 9000000, "resume_us": 9000001}]' '[hv] vm1: checkpoint at 9000000 us not taken: the run ended first'
echo "checkpoints not taken: ended, suspended, after the run: one line each with the VM's name and why"

# 3. errors
bad() { # name, checkpoints JSON, expected message
  printf '{"vms": [{"name": "vm1", "memory": "1MiB", "programs": ["hello"]}], "checkpoints": %s}' "$2" > "$dir/$1.json"
  "$tm" run --scenario "$dir/$1.json" --sw-dir "$sw" > "$dir/$1.out" 2>&1; rc=$?
  [ "$rc" = 201 ] || fail "$1: exit $rc, want 201"
  [ "$(wc -l < "$dir/$1.out")" = 1 ] || fail "$1: not one line: $(cat "$dir/$1.out")"
  grep -qF "$3" "$dir/$1.out" || fail "$1: $(cat "$dir/$1.out"), want: $3"
}
bad no_such_vm '[{"vm": "vm9", "at_us": 100, "resume_us": 200}]' "checkpoints[0].vm: no VM named 'vm9'"
bad resume_first '[{"vm": "vm1", "at_us": 300, "resume_us": 200}]' "checkpoints[0].resume_us: must be later than at_us (300)"
bad bad_key '[{"vm": "vm1", "at": 300, "resume_us": 400}]' "checkpoints[0]"
echo "errors: unknown VM, resume before checkpoint, unknown key: one line, exit 201"

echo PASS
