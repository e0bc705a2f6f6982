#!/usr/bin/env bash
# limits.sh TRIMODE SW_DIR LIMITS_TXT: for each limit of spec/limits.txt the scenario loader
# enforces, a scenario exactly at the limit is accepted (it boots: exit 0) and one just over it
# is refused up front with one line on stderr naming what is over (exit 201). The values are
# read from spec/limits.txt, so the test follows the table.
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
[ "$fail" = 0 ] && echo PASS
exit $fail
