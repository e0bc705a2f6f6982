#!/usr/bin/env bash
# limits.sh TRIMODE SW_DIR LIMITS_TXT: for each limit of spec/limits.txt the scenario loader
# enforces (vms, programs, initial_files, filters, name_len, file_bytes, images, files and the
# per-VM quotas and budgets vm.* with budget_ms), a scenario exactly at the limit is accepted (it
# boots: exit 0) and one just over it is refused up front with one line on stderr naming what is
# over (exit 201). The values are read from spec/limits.txt, so the test follows the table.
set -u
tm=$1; sw=$2; limits=$3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
lim() { awk -v n="$1" '$1 == n { print $2 + 0 }' "$limits"; }
fail=0
# json N_VMS PROGRAMS_PER_VM FILES FILTERS NAME_LEN FILE_BYTES
json() {
  python3 - "$@" <<'PY'
import json, sys
vms, progs, files, filters, name_len, file_bytes = map(int, sys.argv[1:])
names = ["v%d" % i for i in range(1, vms + 1)]
names[0] = ("a" * name_len)
s = {"vms": [{"name": n, "memory": "256KiB", "programs": ["hello"] * progs, "start": 1,
              "limits": {"files": 1}} for n in names],
     "files": [{"vm": names[i % vms], "path": "f%d" % i, "content": "x" * file_bytes} for i in range(files)],
     "filters": [{"from": names[0], "to": names[1], "send": i} for i in range(filters)]}
for v in s["vms"]:
    v["limits"]["files"] = max(1, -(-files // vms))
    v["limits"]["file_bytes"] = max(4096, file_bytes * -(-files // vms))
print(json.dumps(s))
PY
}
# check NAME WANT_RC STDERR_TEXT ARGS-for-json
check() {
  local name=$1 want=$2 text=$3; shift 3
  json "$@" > "$dir/$name.json"
  run "$name" "$want" "$text"
}
# check_json NAME WANT_RC STDERR_TEXT JSON
check_json() {
  printf '%s\n' "$4" > "$dir/$1.json"
  run "$1" "$2" "$3"
}
# run NAME WANT_RC STDERR_TEXT: $dir/NAME.json
run() {
  local name=$1 want=$2 text=$3
  "$tm" run --scenario "$dir/$name.json" --sw-dir "$sw" > "$dir/out" 2> "$dir/err"
  local rc=$? lines
  lines=$(wc -l < "$dir/err")
  if [ "$rc" != "$want" ] || { [ "$want" = 201 ] && { [ "$lines" != 1 ] || ! grep -qF -- "$text" "$dir/err"; }; }; then
    echo "FAILURE: $name: exit $rc (want $want), stderr:"; cat "$dir/err"; fail=1
  else
    echo "ok: $name: exit $rc $(head -c 160 "$dir/err")"
  fi
}
V=$(lim vms); P=$(lim programs); F=$(lim initial_files); R=$(lim filters); N=$(lim name_len); B=$(lim file_bytes)
[ -n "$V" ] && [ -n "$P" ] && [ -n "$F" ] && [ -n "$R" ] && [ -n "$N" ] && [ -n "$B" ] || { echo "FAILURE: limits missing in $limits"; exit 1; }
check at_limits 0 "" 2 "$P" "$F" "$R" "$N" "$B"
check vms_over 201 "vms: must be a list of 1 to $V VMs" $((V + 1)) 1 0 0 2 1
check programs_over 201 "must be a list of at most $P program names" 2 $((P + 1)) 0 0 2 1
check files_over 201 "files: must be a list of at most $F files" 2 1 $((F + 1)) 0 2 1
check filters_over 201 "filters: must be a list of at most $R rules" 2 1 0 $((R + 1)) 2 1
check name_over 201 "must be 1 to $N characters" 2 1 0 0 $((N + 1)) 1
check file_bytes_over 201 "at most $B bytes" 2 1 1 0 2 $((B + 1))
# Images: the kernel, each distinct program and each distinct file. Two VMs that start none of
# their programs (nothing runs), programs of sw/user distinct, files distinct: at the limit and
# one over ("too many distinct images").
I=$(lim images)
images() {  # json with N distinct images in all
  python3 - "$1" "$sw" "$F" <<'PY'
import json, os, sys
n, sw, max_files = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
progs = sorted(f[:-4] for f in os.listdir(os.path.join(sw, "user")) if f.endswith(".elf"))
files = min(max_files, n - 1 - 1)            # the kernel, at least one program
progs = progs[:n - 1 - files]
assert len(progs) == n - 1 - files, "not enough programs in sw/user"
half = (len(progs) + 1) // 2
s = {"vms": [{"name": "a", "memory": "1MiB", "programs": progs[:half], "start": 0,
              "limits": {"files": files, "file_bytes": files}},
             {"name": "b", "memory": "1MiB", "programs": progs[half:], "start": 0}],
     "files": [{"vm": "a", "path": "f%d" % i, "content": chr(65 + i)} for i in range(files)]}
print(json.dumps(s))
PY
}
check_json images_at 0 "" "$(images "$I")"
check_json images_over 201 "too many distinct images (kernel, programs, files): at most $I" "$(images $((I + 1)))"
# The per-VM quotas and budgets (vm.* rows): a scenario may set each up to its bound, not beyond.
S=$(lim files); D=$(lim fds); Q=$(lim queue_per_sender); M=$(lim budget_ms); FB=$(lim file_bytes)
vm_limits() {  # json of two VMs running hello, vm a with limits $1
  printf '{"vms": [{"name": "a", "memory": "512KiB", "programs": ["hello"], "limits": %s},
                  {"name": "b", "memory": "512KiB", "programs": ["hello"], "limits": {"files": 1}}]}' "$1"
}
check_json quotas_at 0 "" "$(vm_limits "{\"files\": $((S - 1)), \"file_bytes\": $((S * FB)), \"fds\": $D, \"queue_per_sender\": $Q, \"queue_per_port\": $((Q * (R + 1))), \"cpu_ms\": $M, \"wall_ms\": $M}")"
check_json quota_files_over 201 "more than the hypervisor's $S files" "$(vm_limits "{\"files\": $S}")"
check_json quota_file_bytes_over 201 "at most $((S * FB)) bytes" "$(vm_limits "{\"file_bytes\": $((S * FB + 1))}")"
check_json quota_fds_over 201 "limits.fds: must be between 1 and $D" "$(vm_limits "{\"fds\": $((D + 1))}")"
check_json quota_queue_over 201 "limits.queue_per_sender: must be between 1 and $Q" "$(vm_limits "{\"queue_per_sender\": $((Q + 1))}")"
check_json quota_port_over 201 "limits.queue_per_port: must be between 1 and $((Q * (R + 1)))" "$(vm_limits "{\"queue_per_port\": $((Q * (R + 1) + 1))}")"
check_json budget_cpu_over 201 "limits.cpu_ms: must be between 1 and $M" "$(vm_limits "{\"cpu_ms\": $((M + 1))}")"
check_json budget_wall_over 201 "limits.wall_ms: must be between 1 and $M" "$(vm_limits "{\"wall_ms\": $((M + 1))}")"
# Checkpoints: as many as the limit, one VM saved and resumed each time; one more is refused.
C=$(lim checkpoints)
ckpts() { python3 -c "import json,sys; n=int(sys.argv[1]); print(json.dumps({'vms': [{'name': 'a', 'memory': '1MiB', 'programs': ['hello']}], 'checkpoints': [{'vm': 'a', 'at_us': 2000 * (i + 1), 'resume_us': 2000 * (i + 1) + 1000} for i in range(n)]}))" "$1"; }
check_json checkpoints_at 0 "" "$(ckpts "$C")"
check_json checkpoints_over 201 "checkpoints: must be a list of at most $C checkpoints" "$(ckpts $((C + 1)))"
# The scenario file itself: exactly scenario_bytes (padded with spaces) runs, one byte more is refused.
Z=$(lim scenario_bytes)
sized() { python3 -c "import sys; s='{\"vms\": [{\"name\": \"a\", \"memory\": \"1MiB\", \"programs\": [\"hello\"]}]}'; n=int(sys.argv[1]); sys.stdout.write(s + ' ' * (n - len(s) - 1))" "$1"; }
check_json scenario_bytes_at 0 "" "$(sized "$Z")"
check_json scenario_bytes_over 201 "larger than $Z bytes" "$(sized $((Z + 1)))"
[ "$fail" = 0 ] && echo PASS
exit $fail
