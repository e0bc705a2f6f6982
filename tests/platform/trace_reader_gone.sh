#!/usr/bin/env bash
# trace_reader_gone.sh TRIMODE SW_DIR: a write to a pipe whose reader has gone.
#  1. --trace-insn to a named FIFO whose reader quits after 100 bytes: the
#     documented report ("writing FILE failed (Broken pipe): ... incomplete")
#     and exit 203 (the process died of SIGPIPE, 141, without a word).
#  2. The console's reader quitting (`trimode run ... | head -c 1`) still
#     ends the run as a pipeline's writer ends: SIGPIPE, 141.
set -u
tm=$1 sw=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail() { echo "FAILURE: $*"; exit 1; }
mkfifo "$dir/p"
(head -c 100 "$dir/p" > /dev/null &)
timeout 60 "$tm" run "$sw/modes_chain.elf" --trace-insn "$dir/p" > /dev/null 2> "$dir/err"; rc=$?
[ "$rc" = 203 ] || fail "trace to a FIFO whose reader quit: exit $rc, want 203: $(cat "$dir/err")"
grep -q "^trimode: error: writing $dir/p failed (Broken pipe): the instruction trace is incomplete$" "$dir/err" ||
  fail "no report of the failed write: $(cat "$dir/err")"
(timeout 60 "$tm" run "$sw/bench_mix.elf"; echo $? > "$dir/rc2") | head -c 1 > /dev/null
[ "$(cat "$dir/rc2")" = 141 ] || fail "console's reader gone: exit $(cat "$dir/rc2"), want 141 (SIGPIPE)"
echo PASS
