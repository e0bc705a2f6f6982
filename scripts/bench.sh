#!/usr/bin/env bash
# Prints Trimode's performance figures (docs/performance.md).
#
# 1. Trimode against qemu-system-riscv32 (TCG, -M virt) on the same bare-metal
#    ELFs (sw/bench: bench_cpu, bench_mix), in alternating rounds (trimode,
#    qemu, trimode, qemu, ...) so that a change in the machine's load hits
#    both alike. Both are timed the same way: wall clock of the whole process,
#    start-up included; each simulator's start-up alone (hello.elf) is printed
#    too. MIPS = instructions retired (trimode --stats; QEMU retires the same
#    ones, see tests/qemu_diff) / median wall time. Ratio = QEMU's time over
#    Trimode's (1.0: as fast as QEMU).
# 2. The memory-heavy program with DMI on and off.
# 3. The default scenario (trap-heavy: hypervisor, kernels, programs).
# 4. Trap-heavy against compute-only scenarios (MIPS of each, and their ratio).
#
# Usage: scripts/bench.sh [BUILD_DIR]     (after `make build`)
# Environment: ROUNDS (default 5), BENCHES (default "bench_cpu bench_mix"),
# CALLGRIND=1 (also count host instructions of section 4 under valgrind).
#        scripts/bench.sh --cosim [BUILD_DIR]: co-simulation against TLM-only
#        side by side instead (scripts/bench-cosim.sh)
set -euo pipefail
OPTIONS=--cosim
. "$(dirname "$0")/usage.sh" && script_usage "$0" "$@"
[ "${1:-}" != --cosim ] || exec "$(dirname "$0")/bench-cosim.sh" "${@:2}"
B=${1:-build}
TM=$B/trimode
SW=$B/sw
ROUNDS=${ROUNDS:-5}
BENCHES=${BENCHES:-bench_cpu bench_mix}
QEMU=$(command -v qemu-system-riscv32 || true)
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
for f in "$TM" $(for p in hello $BENCHES memtest; do echo "$SW/$p.elf"; done); do
  [ -e "$f" ] || { echo "bench.sh: $f not found: build first (make build), or give the build directory" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Instructions a program retires (its --stats); a program that does not end with 0 stops the
# bench with a word (it stopped it silently: set -e took the failed substitution).
insns_of() {
  local out rc=0
  out=$("$TM" run "$1" --stats 2>&1 >/dev/null) || rc=$?
  [ "$rc" = 0 ] || { echo "bench.sh: $1 exited $rc (a bench program must end with 0)" >&2; return 1; }
  stats_retired <<< "$out"
}

# wall SECONDS of one command (its output discarded); fails if the command does.
wall() {
  local s e
  s=$(date +%s.%N)
  "$@" > /dev/null 2>&1 || { echo "bench.sh: failed: $*" >&2; return 1; }
  e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f\n", e - s }'
}
run_tm() { wall "$TM" run "$1"; }
# "SECONDS INSTRUCTIONS" from a run's --stats on stdin. The seconds come from the speed line
# (instructions / host time, 4 significant digits): the host time line has milliseconds only,
# and the runs below take 10-60 ms (boot and trap-heavy could read the same 0.037 s, and
# the program's MIPS came out "inf").
stats_tn() { awk '/instructions retired/ {n=$3} /^speed/ {m=$2} END {printf "%.6f %d\n", (m > 0 ? n / m / 1e6 : 0), n}'; }
run_qemu() { wall "$QEMU" -M virt -bios none -nographic -monitor none -serial null -kernel "$1"; }

echo "== load: $(uptime | sed 's/.*load/load/')"
echo "== Trimode vs QEMU, $ROUNDS alternating rounds each, wall clock incl. start-up, medians"
[ -n "$QEMU" ] || echo "(qemu-system-riscv32 not found: Trimode only)"
printf '%-10s %12s %10s %8s %10s %8s %7s %9s\n' program instructions trimode MIPS qemu MIPS ratio "ratio-su"
t0=0
q0=0
for prog in hello $BENCHES; do
  elf=$SW/$prog.elf
  n=$(insns_of "$elf")
  : > "$tmp/tm"
  : > "$tmp/qemu"
  for r in $(seq "$ROUNDS"); do
    printf '\r%s: round %d/%d ' "$prog" "$r" "$ROUNDS" >&2
    run_tm "$elf" >> "$tmp/tm"
    [ -z "$QEMU" ] || run_qemu "$elf" >> "$tmp/qemu"
  done
  printf '\r%*s\r' 40 '' >&2
  t=$(median < "$tmp/tm")
  if [ -n "$QEMU" ]; then
    q=$(median < "$tmp/qemu")
    awk -v p="$prog" -v n="$n" -v t="$t" -v q="$q" -v t0="$t0" -v q0="$q0" \
      'BEGIN { printf "%-10s %12d %9.3fs %8.0f %9.3fs %8.0f %7.3f %9s\n", p, n, t, n / t / 1e6, q, n / q / 1e6, q / t,
               (p == "hello" ? "-" : sprintf("%.3f", (q - q0) / (t - t0))) }'
    [ "$prog" != hello ] || { t0=$t; q0=$q; }
  else
    awk -v p="$prog" -v n="$n" -v t="$t" 'BEGIN { printf "%-10s %12d %9.3fs %8.0f\n", p, n, t, n / t / 1e6 }'
  fi
done
echo "(hello: start-up alone; MIPS and ratios are meaningful for the benchmarks only;"
echo " ratio-su: the same ratio with each simulator's start-up (hello's time) subtracted)"

echo "== memtest (segment-checked accesses), DMI on and off"
for flag in "" "--no-dmi"; do
  $TM run $SW/memtest.elf --stats $flag 2>&1 >/dev/null | \
    awk -v f="${flag:-dmi}" '/instructions retired/ {n=$3} /^speed/ {v=$2} /memctl/ {m=$0} END {printf "%-9s %d instructions, %.4f s, %.1f MIPS; %s\n", f, n, n/v/1e6, v, m}'
done

echo "== default scenario (hypervisor, two VMs; --stats host time, median of $ROUNDS)"
for r in $(seq "$ROUNDS"); do
  $TM run --scenario @default --stats 2>&1 >/dev/null | stats_tn
done | sort -g | awk -v k="$(( (ROUNDS + 1) / 2 ))" 'NR == k {printf "default   %d instructions, %.4f s, %.1f MIPS\n", $2, $1, $2 / $1 / 1e6}'
echo "== trap-heavy against compute-only (one VM each; --stats host time, median of $ROUNDS)"
# boot: the hypervisor and a kernel running hello (start-up of both others);
# compute: the compute program (no system calls until it prints);
# trap-heavy: ecallbench (U->G->U getpid round trips) then vcallbench (G->V
# hypercalls and I/O calls). "program" MIPS subtract boot's instructions and
# time, so they compare the programs' own parts; ratio = trap-heavy / compute.
sc=$(mktemp -d)
scenario() { printf '{"vms": [{"name": "vm1", "memory": "1MiB", "programs": [%s]}]}\n' "$2" > "$sc/$1.json"; }
scenario boot '"hello"'
scenario compute '"compute"'
scenario trapheavy '"ecallbench", "vcallbench"'
for s in boot compute trapheavy; do
  for r in $(seq "$ROUNDS"); do
    $TM run --scenario "$sc/$s.json" --stats 2>&1 >/dev/null | stats_tn
  done | sort -g | awk -v k="$(( (ROUNDS + 1) / 2 ))" -v s="$s" 'NR == k {print s, $2, $1}'
done > "$sc/figures"
rm -f "$sc"/*.json
awk '{ n[$1] = $2; t[$1] = $3 }
     END { printf "boot       %10d instructions, %.4f s\n", n["boot"], t["boot"]
           split("compute trapheavy", order, " ")
           ok = 1
           for (i = 1; i <= 2; ++i) { s = order[i]
             # the program part is a few ms: with noise, its time can come out at or below boot'"'"'s
             if (t[s] > t["boot"]) { m[s] = (n[s] - n["boot"]) / (t[s] - t["boot"]) / 1e6; p = sprintf("%6.1f", m[s]) }
             else { ok = 0; p = "   n/a" }
             printf "%-10s %10d instructions, %.4f s, %6.1f MIPS whole run, %s MIPS program (boot subtracted)\n", s, n[s], t[s], n[s] / t[s] / 1e6, p }
           printf "trap-heavy / compute: %s (program MIPS), %.2f (whole run)\n",
                  (ok ? sprintf("%.2f", m["trapheavy"] / m["compute"]) : "n/a (a program time not above boot'"'"'s: rerun with more ROUNDS, or CALLGRIND=1)"),
                  (n["trapheavy"] / t["trapheavy"]) / (n["compute"] / t["compute"]) }' "$sc/figures"
# CALLGRIND=1: the same comparison in host instructions (valgrind), which the
# machine's load does not disturb. Each workload runs at two lengths in the
# same software (compute_x2, ecallbench_x2 and vcallbench_x2 do twice the
# steady-state work of compute, ecallbench and vcallbench, with the same
# start-up and program loads), and host instructions per guest instruction
# are the difference of the two runs' host instructions over the difference
# of their guest instructions: start-up cancels out. The ratio is compute's
# count over trap-heavy's. The earlier figures (boot subtracted: the hello
# scenario's counts taken from the single-length runs, which leaves the
# second program load of the trap-heavy run in) are printed too.
if [ "${CALLGRIND:-0}" = 1 ] && ! command -v valgrind > /dev/null; then
  echo "(CALLGRIND=1: valgrind not found, no callgrind figures; apt-get install valgrind)"
elif [ "${CALLGRIND:-0}" = 1 ]; then
  scenario compute2 '"compute_x2"'
  scenario trapheavy2 '"ecallbench_x2", "vcallbench_x2"'
  for s in boot compute trapheavy compute2 trapheavy2; do
    [ -f "$sc/$s.json" ] || scenario "$s" "$(case $s in boot) echo '"hello"';; compute) echo '"compute"';; *) echo '"ecallbench", "vcallbench"';; esac)"
    echo "bench.sh: callgrind: $s" >&2
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$TM" run --scenario "$sc/$s.json" --stats > "$sc/$s.cg" 2>&1
    echo "$s $(stats_retired < "$sc/$s.cg") $(grep -o 'Collected : [0-9]*' "$sc/$s.cg" | awk '{print $3}')"
  done > "$sc/counts"
  awk '{ n[$1] = $2; h[$1] = $3 }
       END { for (i = split("compute trapheavy", o, " "); i > 0; --i) { s = o[i]
               c[s] = (h[s] - h["boot"]) / (n[s] - n["boot"]); d[s] = (h[s "2"] - h[s]) / (n[s "2"] - n[s]) }
             printf "callgrind: compute %.2f, trap-heavy %.2f host instructions per guest instruction (two run lengths differenced); ratio %.3f\n",
                    d["compute"], d["trapheavy"], d["compute"] / d["trapheavy"]
             printf "callgrind: compute %.2f, trap-heavy %.2f host instructions per guest instruction (boot subtracted); ratio %.3f\n",
                    c["compute"], c["trapheavy"], c["compute"] / c["trapheavy"] }' "$sc/counts"
fi
rm -rf "$sc"
echo "== load: $(uptime | sed 's/.*load/load/')"
