#!/usr/bin/env bash
# fairness.sh TRIMODE SW_DIR: two VMs spinning with weights 1 and 2 for 40 M
# instructions; the CPU each got (the hypervisor's accounting) must be within
# 5 % of 1:2.
set -u
tm=$1; sw=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
cat > "$dir/fair.json" <<JSON
{"vms": [{"name": "light", "memory": "512KiB", "weight": 1, "programs": ["h_spin"]},
         {"name": "heavy", "memory": "512KiB", "weight": 2, "programs": ["h_spin"]}],
 "timeslice_us": 100}
JSON
"$tm" run --scenario "$dir/fair.json" --sw-dir "$sw" --max-instructions 40000000 > "$dir/out" 2>&1
light=$(sed -nE 's/^VM 1 \(light\): .* cpu ([0-9]+) ticks \([0-9.]+%\)$/\1/p' "$dir/out")
heavy=$(sed -nE 's/^VM 2 \(heavy\): .* cpu ([0-9]+) ticks \([0-9.]+%\)$/\1/p' "$dir/out")
[ -n "$light" ] && [ -n "$heavy" ] && [ "$light" -gt 0 ] || { echo "FAILURE: no CPU accounting"; cat "$dir/out"; exit 1; }
ratio=$(awk -v h="$heavy" -v l="$light" 'BEGIN { printf "%.4f", h / l }')
echo "light $light ticks, heavy $heavy ticks, ratio $ratio (want 2 +- 5%)"
awk -v r="$ratio" 'BEGIN { exit !(r >= 1.90 && r <= 2.10) }' || { echo "FAILURE: ratio $ratio"; exit 1; }
echo PASS
