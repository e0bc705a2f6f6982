#!/usr/bin/env bash
# engine_matches_interpreter.sh TRIMODE SCRATCH_DIR RUN_ARGS...
# Each RUN_ARGS (an ELF, or quoted arguments such as "--scenario FILE --sw-dir
# DIR") runs twice: untraced (the block engine) and with --trace-insn (every
# instruction through the interpreter). PASS when stdout, the exit code and the
# --stats counts (all but host time and speed) are identical for every one.
# The second run's extra options and name can be changed: B_ARGS (default
# "--trace-insn /dev/null") and B_NAME (default "interpreter"); e.g.
# B_ARGS=--sync-every-quantum B_NAME="every quantum synchronised".
set -u
tm=$1; dir=$2; shift 2
b_args=${B_ARGS:---trace-insn /dev/null}
b_name=${B_NAME:-interpreter}
mkdir -p "$dir"
for args in "$@"; do
  # shellcheck disable=SC2086  # RUN_ARGS are split on purpose
  "$tm" run $args --stats > "$dir/engine.out" 2> "$dir/engine.err" < /dev/null
  rc_engine=$?
  # shellcheck disable=SC2086
  "$tm" run $args --stats $b_args > "$dir/interp.out" 2> "$dir/interp.err" < /dev/null
  rc_interp=$?
  [ "$rc_engine" -eq "$rc_interp" ] || { echo "FAILURE: $args: exit code $rc_engine (engine) vs $rc_interp ($b_name)"; exit 1; }
  diff -u "$dir/interp.out" "$dir/engine.out" > /dev/null || {
    echo "FAILURE: $args: stdout differs ($b_name vs engine)"; diff -u "$dir/interp.out" "$dir/engine.out" | head -20; exit 1; }
  counts() { grep -v -E "^(host time|speed) " "$1"; }
  counts "$dir/engine.err" > "$dir/engine.counts"
  counts "$dir/interp.err" > "$dir/interp.counts"
  grep -q "instructions retired" "$dir/engine.counts" || { echo "FAILURE: $args: no --stats output"; exit 1; }
  diff -u "$dir/interp.counts" "$dir/engine.counts" || { echo "FAILURE: $args: --stats counts differ"; exit 1; }
  echo "same: $args ($(awk '/instructions retired/ {print $3}' "$dir/engine.counts") instructions, exit $rc_engine)"
done
echo PASS
