#!/usr/bin/env bash
# many_vms.sh TRIMODE SW_DIR N: a scenario of N VMs (scripts/bench_vms.sh
# --gen), each running `hello`: every VM must print its greeting from pid 1,
# exit with code 0 and be listed as exited in the summary; the run exits 0.
set -u
tm=$1; sw=$2; n=$3
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
"$here/../../scripts/bench_vms.sh" --gen "$n" hello > "$dir/many.json"
"$tm" run --scenario "$dir/many.json" --sw-dir "$sw" > "$dir/out" 2>&1
rc=$?
[ "$rc" = 0 ] || { echo "FAILURE: exit $rc, want 0"; tail -20 "$dir/out"; exit 1; }
bad=0
for ((i = 1; i <= n; i++)); do
  grep -qx "\[v$i\] hello from pid 1" "$dir/out" || { echo "FAILURE: v$i did not greet"; bad=1; }
  grep -qx "VM $i (v$i): exited, code 0, weight [0-9]*, cpu [0-9]* ticks ([0-9.]*%)" "$dir/out" || { echo "FAILURE: v$i did not exit 0"; bad=1; }
done
created=$(grep -c '^\[hv\] v[0-9]*: VM [0-9]*, 512 KiB in .* kernel image "kernel" at 0x8[0-9a-f]*, ' "$dir/out")
[ "$created" = "$n" ] || { echo "FAILURE: $created VMs created, want $n"; bad=1; }
# every kernel region is a different one
regions=$(sed -nE 's/^\[hv\] v[0-9]+: .* kernel image "kernel" at (0x[0-9a-f]+), .*/\1/p' "$dir/out" | sort -u | wc -l)
[ "$regions" = "$n" ] || { echo "FAILURE: $regions distinct kernel regions, want $n"; bad=1; }
[ "$bad" = 0 ] || { tail -30 "$dir/out"; exit 1; }
echo "PASS: $n VMs, each greeted and exited 0, $regions kernel regions"
