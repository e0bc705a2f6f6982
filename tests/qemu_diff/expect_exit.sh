#!/usr/bin/env bash
# expect_exit.sh CODE SECONDS COMMAND ARGS...
#
# Runs COMMAND under `timeout SECONDS` with its output passed through, and
# prints `PASS` if it exited with CODE, `FAILURE: ...` otherwise (124 means
# it timed out). Used for qemu.* (QEMU alone) and isa.* (trimode alone).
set -u

if [ $# -lt 3 ]; then
  echo "usage: $0 CODE SECONDS COMMAND ARGS..." >&2
  exit 2
fi
want=$1
limit=$2
shift 2

SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 timeout "$limit" "$@" </dev/null
rc=$?
if [ "$rc" -ne "$want" ]; then
  echo "FAILURE: exit code $rc, expected $want (124 = timeout): $*"
  exit 1
fi
echo "PASS: exit code $rc: $*"
exit 0
