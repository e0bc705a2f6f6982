#!/usr/bin/env bash
# Prints what the platform trace costs (docs/debugging.md, "What a trace costs";
# method and history: docs/waves-internals.md): for
# each program, the untraced run, the run with --fst and with --vcd (whole
# run, for programs of up to 5 M instructions, or any with WHOLE=1: --fst
# only), and --fst with windows of 10,000 and 1,000,000 instructions at the
# end; wall time (median of ROUNDS), the slowdown against the untraced run and
# the file's bytes per traced instruction. cpu: user + system seconds of all
# threads (the FST writer and compression run on threads of their own),
# steadier than wall time on a loaded machine. The runs of one program
# alternate round by round (untraced, then each trace), so a machine whose
# speed drifts during the sitting weighs on every column alike; each run's
# progress goes to stderr.
#
# Usage: scripts/waves-bench.sh [BUILD_DIR]     (after `make build`)
# Environment: ROUNDS (default 3), PROGRAMS (default "memtest bench_mix"), WHOLE (1: whole-run
# --fst of every program, e.g. PROGRAMS="bench_mix bench_cpu" WHOLE=1 for the long runs).
# The traces go to a directory of mktemp -d, so under $TMPDIR: TMPDIR=/dev/shm keeps a
# disk's write-back of the long runs' files (hundreds of MB) out of the figures.
set -euo pipefail
. "$(dirname "$0")/usage.sh" && script_usage "$0" "$@"
B=${1:-build}
TM=$B/trimode
ROUNDS=${ROUNDS:-3}
PROGRAMS=${PROGRAMS:-memtest bench_mix}
for f in "$TM" $(for p in $PROGRAMS; do echo "$B/sw/$p.elf"; done); do
  [ -e "$f" ] || { echo "waves-bench: $f not found: build first (make build), or give the build directory" >&2; exit 2; }
done
out=$(mktemp -d)
echo "waves-bench: traces in $out" >&2
trap 'rm -rf "$out"' EXIT

# Appends "WALL CPU" of one run of a command (output discarded) to the file $1.
run_once() {
  local into=$1 t=$out/time
  shift
  { TIMEFORMAT='%R %U %S'; time "$@" > /dev/null 2>&1; } 2> "$t"
  read -r e u s < "$t"
  awk -v e="$e" -v u="$u" -v s="$s" 'BEGIN { printf "%s %.3f\n", e, u + s }' >> "$into"
}
# "WALL CPU": the medians of a file of run_once lines.
medians() { echo "$(cut -d' ' -f1 "$1" | median) $(cut -d' ' -f2 "$1" | median)"; }

# A trace's arguments, file and traced instructions (of the program's $insns): args, file, n.
setup() {
  case $1 in
    none) args=(); file=; n=$insns ;;
    fst) args=(--fst "$out/w.fst"); file=$out/w.fst; n=$insns ;;
    vcd) args=(--vcd "$out/w.vcd"); file=$out/w.vcd; n=$insns ;;
    *) n=$([ "$1" = "fst window 10k" ] && echo 10000 || echo 1000000)
       [ "$n" -gt "$insns" ] && n=$insns
       args=(--fst "$out/x.fst" --trace-from $((insns - n)) --trace-to "$insns"); file=$out/x.fst ;;
  esac
}

printf '%-10s %-22s %9s %9s %9s %9s %12s\n' program trace wall slowdown cpu slowdown bytes/insn
for p in $PROGRAMS; do
  elf=$B/sw/$p.elf
  insns=$("$TM" run "$elf" --stats 2>&1 >/dev/null | stats_retired) ||
    { echo "waves-bench: $elf did not end with 0 (a bench program must)" >&2; exit 1; }
  traces=("none" "fst window 10k" "fst window 1M")
  if [ "$insns" -le 5000000 ]; then traces+=("fst" "vcd"); elif [ "${WHOLE:-0}" = 1 ]; then traces+=("fst"); fi
  for r in $(seq "$ROUNDS"); do
    for i in "${!traces[@]}"; do
      echo "$p: round $r of $ROUNDS, ${traces[$i]}" >&2
      setup "${traces[$i]}"
      run_once "$out/t$i" "$TM" run "$elf" "${args[@]}"
      [ -z "$file" ] || stat -c %s "$file" > "$out/s$i"  # (the window traces share a file: its size now)
    done
  done
  for i in "${!traces[@]}"; do
    setup "${traces[$i]}"
    read -r s c <<< "$(medians "$out/t$i")"
    rm "$out/t$i"
    if [ "$i" = 0 ]; then
      base=$s cbase=$c
      printf '%-10s %-22s %9.3f %9s %9.3f %9s %12s\n' "$p" none "$base" 1.0 "$cbase" 1.0 -
      continue
    fi
    # (awk, not bc: bc is not among scripts/install-deps.sh's packages nor in a minimal Debian)
    printf '%-10s %-22s %9.3f %9.1f %9.3f %9.1f %12.2f\n' "$p" "${traces[$i]}" "$s" "$(awk -v a="$s" -v b="$base" 'BEGIN { print a / b }')" \
      "$c" "$(awk -v a="$c" -v b="$cbase" 'BEGIN { print a / b }')" \
      "$(awk -v a="$(cat "$out/s$i")" -v b="$n" 'BEGIN { print a / b }')"
  done
  echo "$p: $insns instructions"
done
