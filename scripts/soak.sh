#!/usr/bin/env bash
# Soak run (a benchmark, not in CI: minutes): scenarios/soak.json, where every
# VM runs hostile and honest programs round after round, for N instructions
# (default 10^10: about a minute). Prints a progress line with trimode's resident memory every
# few seconds, then the figures; fails (exit 1) when
#  - the run ended otherwise than at the instruction limit (exit 202), or
#  - resident memory grew by more than SOAK_RSS_BOUND_KIB (default 8192) from
#    the first sample after warm-up (a quarter of the run) to the largest one
#    after it, or
#  - some VM's later round ran fewer programs than its first (a resource lost),
#    or its soak program could not start the next round.
#   scripts/soak.sh [N]              BUILD=build, SOAK_INTERVAL=2 (seconds)
set -euo pipefail
. "$(dirname "$0")/usage.sh" && script_usage "$0" "$@"
cd "$(dirname "$0")/.."
n=${1:-10000000000}  # (10^9 took half a minute once; the faster engine ends it in 5 s, 3 samples)
want_count N "$n"  # (0 would be no limit: --max-instructions 0 runs until the VMs' budgets end)
build=${BUILD:-build}
interval=${SOAK_INTERVAL:-2}
bound=${SOAK_RSS_BOUND_KIB:-8192}
tm=$build/trimode
[ -x "$tm" ] || { echo "soak: $tm not built (make build)"; exit 1; }
out=$(mktemp -d /tmp/trimode-soak.XXXXXX)
trap 'kill "$pid" 2>/dev/null || true' EXIT

"$tm" run --scenario scenarios/soak.json --sw-dir "$build/sw" --max-instructions "$n" --stats \
  > "$out/console" 2> "$out/stderr" &
pid=$!
echo "soak: $n instructions of scenarios/soak.json, trimode pid $pid, output in $out"
start=$(date +%s)
: > "$out/rss"
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  [ -n "$rss" ] || break
  t=$(( $(date +%s) - start ))
  echo "$t $rss" >> "$out/rss"
  printf 'soak: %4d s  rss %6d KiB  %7d console lines  %5d rounds\n' "$t" "$rss" \
    "$(wc -l < "$out/console")" "$(grep -c 'soak: round' "$out/console" || true)"
  sleep "$interval"
done
rc=0
wait "$pid" || rc=$?
trap - EXIT
grep -E '^(instructions|cycles|simulated|host time|speed)' "$out/stderr" || tail -5 "$out/stderr"

fail=0
if [ "$rc" -ne 202 ] || ! grep -q "instruction limit reached" "$out/stderr"; then
  echo "soak: FAILURE: trimode exited $rc before $n instructions:"; tail -3 "$out/stderr"; fail=1
fi
samples=$(wc -l < "$out/rss")
if [ "$samples" -lt 4 ]; then
  echo "soak: FAILURE: only $samples memory samples (run longer or lower SOAK_INTERVAL)"; fail=1
else
  skip=$(( samples / 4 ))
  base=$(sed -n "$(( skip + 1 ))p" "$out/rss" | cut -d' ' -f2)
  peak=$(tail -n +"$(( skip + 1 ))" "$out/rss" | cut -d' ' -f2 | sort -n | tail -1)
  echo "soak: rss after warm-up $base KiB, peak after it $peak KiB, growth $(( peak - base )) KiB (bound $bound KiB)"
  [ $(( peak - base )) -le "$bound" ] || { echo "soak: FAILURE: resident memory grows"; fail=1; }
fi
# Every VM's rounds: the first round's count of programs is the norm.
if ! awk '/soak: round/ { vm = $1; n = $6; if (!(vm in first)) first[vm] = n; rounds[vm]++;
                          if (n < first[vm]) { bad = bad sprintf("%s round %s ran %d < %d\n", vm, $4, n, first[vm]) } }
          /soak: cannot/ { bad = bad $0 "\n" }
          END { for (v in rounds) printf "soak: %s %d rounds of %d programs\n", v, rounds[v], first[v];
                if (length(rounds) == 0) { print "soak: FAILURE: no round finished"; exit 1 }
                if (bad != "") { printf "soak: FAILURE: a VM lost a resource:\n%s", bad; exit 1 } }' "$out/console"; then
  fail=1
fi
[ "$fail" -eq 0 ] && { echo "soak: PASS"; rm -rf "$out"; }
exit "$fail"
