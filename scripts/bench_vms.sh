#!/usr/bin/env bash
# Scaling benchmark (docs/performance.md, "Many VMs"): 1, 2, 4, 16, 64 VMs of
# the same workload, each VM with weight 1, 2 or 3 (VM i: 1 + (i - 1) % 3).
#
# Per VM count N, two runs of a generated scenario:
#  1. work: every VM runs `compute` (a fixed CPU-bound job, the same output in
#     every VM) to the end. Prints the wall time of the whole process (start-up
#     included), guest instructions (trimode --stats), wall ns per guest
#     instruction, the peak resident memory (getrusage of the child) and
#     checks every VM printed compute's result and exited 0.
#  2. fairness: every VM spins (h_spin) for 2 M instructions per VM after the
#     hypervisor's boot (BOOT_INSNS, about 3.7 M: it clears its 2 MiB image;
#     then the instruction limit ends the run); each VM's CPU ticks (the
#     hypervisor's accounting) against its weight's share: the worst
#     relative deviation over the VMs (0 % = exactly its weight).
# Cost grows no faster than the work when ns/instruction stays flat as N grows.
#
# Usage: scripts/bench_vms.sh [BUILD_DIR]         (after `make build`)
#        scripts/bench_vms.sh --gen N PROGRAM    (print the scenario for N VMs)
# Environment: COUNTS (default "1 2 4 16 64"), BOOT_INSNS (default 5000000).
set -euo pipefail

gen() {  # N PROGRAM: the scenario, on stdout
  local n=$1 prog=$2 i sep=""
  printf '{"description": "bench_vms.sh: %s VMs of %s", "timeslice_us": 100, "vms": [\n' "$n" "$prog"
  for ((i = 1; i <= n; i++)); do
    printf '%s  {"name": "v%d", "memory": "512KiB", "weight": %d, "programs": ["%s"]}' "$sep" "$i" $((1 + (i - 1) % 3)) "$prog"
    sep=$',\n'
  done
  printf '\n]}\n'
}
OPTIONS=--gen
. "$(dirname "$0")/usage.sh" && script_usage "$0" "$@"
if [ "${1:-}" = "--gen" ]; then
  [ $# -eq 3 ] || { echo "bench_vms.sh: --gen wants N PROGRAM" >&2; exit 2; }
  want_count "--gen's N" "$2"
  gen "$2" "$3"
  exit 0
fi

B=${1:-build}
TM=$B/trimode
SW=$B/sw
COUNTS=${COUNTS:-1 2 4 16 64}
BOOT_INSNS=${BOOT_INSNS:-5000000}  # the fairness run's allowance for the boot (a 2 M limit ended it before a VM started)
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
[ -x "$TM" ] && [ -d "$SW" ] || { echo "bench_vms: $TM or $SW not found: build first (make build), or give the build directory" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# run OUT ARGS...: runs trimode, prints "wall_seconds cpu_seconds max_rss_kib exit_code".
# The child's own rusage (wait4), not getrusage(RUSAGE_CHILDREN): the latter also counts
# whatever the python3 process's image inherited (a pyenv shim's helper processes, run
# before it exec'd python, added about 0.4 s of CPU to every row).
run() {
  python3 - "$@" <<'PY'
import os, subprocess, sys, time
out = sys.argv[1]
t = time.monotonic()
with open(out, "w") as f:
    p = subprocess.Popen(sys.argv[2:], stdout=f, stderr=subprocess.STDOUT)
    _, status, u = os.wait4(p.pid, 0)
    p.returncode = rc = os.waitstatus_to_exitcode(status)
print(f"{time.monotonic() - t:.3f} {u.ru_utime + u.ru_stime:.3f} {u.ru_maxrss} {rc}")
PY
}

echo "== load: $(uptime | sed 's/.*load/load/')"
printf '%5s | %8s | %8s | %13s | %8s | %8s | %9s | %9s\n' VMs "wall s" "CPU s" "guest insns" "ns/insn" "CPU ns" "RSS MiB" "fairness"
for n in $COUNTS; do
  echo "bench_vms: $n VMs: compute to the end ..." >&2
  gen "$n" compute > "$dir/work.json"
  read -r wall cpu rss rc < <(run "$dir/work.out" "$TM" run --scenario "$dir/work.json" --sw-dir "$SW" --stats)
  [ "$rc" = 0 ] || { echo "bench_vms: $n VMs: exit $rc" >&2; tail -5 "$dir/work.out" >&2; exit 1; }
  done_ok=$(grep -c '^\[v[0-9]*\] compute: 11310 primes' "$dir/work.out" || true)
  [ "$done_ok" = "$n" ] || { echo "bench_vms: $n VMs: only $done_ok printed compute's result" >&2; exit 1; }
  insns=$(stats_retired < "$dir/work.out")
  echo "bench_vms: $n VMs: spinning for fairness ..." >&2
  gen "$n" h_spin > "$dir/fair.json"
  read -r _ _ _ frc < <(run "$dir/fair.out" "$TM" run --scenario "$dir/fair.json" --sw-dir "$SW" \
                        --max-instructions $((BOOT_INSNS + 2000000 * n)))
  [ "$frc" = 202 ] || { echo "bench_vms: $n VMs: fairness run exit $frc, want 202 (the limit)" >&2; exit 1; }
  # The summary's lines "VM 1 (v1): still running, code 0, weight 1, cpu 48721 ticks (14.3%)".
  fair=$(awk -v n="$n" '
    /^VM [0-9]+ \(v[0-9]+\): .* cpu [0-9]+ ticks/ {
      id = $2; t = $0; sub(/ ticks.*/, "", t); sub(/.* cpu /, "", t)
      tk[id] = t; wt[id] = 1 + (id - 1) % 3; T += tk[id]; W += wt[id]; got_n++
    }
    END {
      if (got_n != n || T == 0) { printf "bench_vms: %d VMs: %d summary lines with cpu ticks\n", n, got_n > "/dev/stderr"; exit 1 }
      worst = 0
      for (id in tk) { want = wt[id] / W; got = tk[id] / T; d = (got - want) / want; if (d < 0) d = -d; if (d > worst) worst = d }
      printf "%.1f%%", worst * 100
    }' "$dir/fair.out")
  printf '%5s | %8s | %8s | %13s | %8.2f | %8.2f | %9.1f | %9s\n' "$n" "$wall" "$cpu" "$insns" \
    "$(awk -v w="$wall" -v i="$insns" 'BEGIN { print w * 1e9 / i }')" "$(awk -v w="$cpu" -v i="$insns" 'BEGIN { print w * 1e9 / i }')" \
    "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')" "$fair"
done
echo "(ns/insn: wall time per guest instruction; CPU ns: the process's user + system time per guest instruction,"
echo " less sensitive to a loaded machine; fairness: the worst VM's |CPU share - weight share| / weight share,"
echo " weights 1, 2, 3 repeating)"
