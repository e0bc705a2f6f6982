#!/usr/bin/env bash
# expect_run.sh RC [--stdout-has TEXT]... [--stdout-lacks TEXT]... [--stderr-has TEXT]... [--stderr-lacks TEXT]... [--stderr-is LINE] [--stderr-golden FILE] [--file-has FILE TEXT]... -- CMD...
# Runs CMD, then checks its exit code and output. Prints PASS, or FAILURE: <why>
# with the captured output, and exits non-zero on any failed check.
set -u
want_rc=$1; shift
checks=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case $1 in
    --file-has) checks+=("$1" "$2" "$3"); shift 3 ;;
    *) checks+=("$1" "$2"); shift 2 ;;
  esac
done
shift
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
timeout 300 "$@" >"$out" 2>"$err"
rc=$?
fail() {
  echo "FAILURE: $*"
  echo "--- command: $*"; echo "--- stdout:"; head -c 4000 "$out"; echo "--- stderr:"; head -c 4000 "$err"
  exit 1
}
[ "$rc" -eq "$want_rc" ] || fail "exit code $rc, want $want_rc"
i=0
while [ $i -lt ${#checks[@]} ]; do
  kind=${checks[$i]}
  case $kind in
    --stdout-has) grep -qF -- "${checks[$((i+1))]}" "$out" || fail "stdout lacks '${checks[$((i+1))]}'"; i=$((i+2)) ;;
    --stdout-lacks) ! grep -qF -- "${checks[$((i+1))]}" "$out" || fail "stdout has '${checks[$((i+1))]}'"; i=$((i+2)) ;;
    --stderr-has) grep -qF -- "${checks[$((i+1))]}" "$err" || fail "stderr lacks '${checks[$((i+1))]}'"; i=$((i+2)) ;;
    --stderr-lacks) ! grep -qF -- "${checks[$((i+1))]}" "$err" || fail "stderr has '${checks[$((i+1))]}'"; i=$((i+2)) ;;
    --stderr-is)  # stderr is exactly this one line
      [ "$(wc -l <"$err")" -eq 1 ] && [ "$(cat "$err")" = "${checks[$((i+1))]}" ] || fail "stderr is not the one line '${checks[$((i+1))]}'"; i=$((i+2)) ;;
    --stderr-lines) n=$(wc -l <"$err"); [ "$n" -eq "${checks[$((i+1))]}" ] || fail "stderr has $n lines, want ${checks[$((i+1))]}"; i=$((i+2)) ;;
    --stderr-golden)
      diff -u "${checks[$((i+1))]}" "$err" || fail "stderr differs from golden ${checks[$((i+1))]}"; i=$((i+2)) ;;
    --file-has) grep -qF -- "${checks[$((i+2))]}" "${checks[$((i+1))]}" || fail "${checks[$((i+1))]} lacks '${checks[$((i+2))]}'"; i=$((i+3)) ;;
    *) echo "expect_run.sh: unknown check $kind"; exit 2 ;;
  esac
done
echo PASS
