#!/usr/bin/env bash
# gdb_session.sh TRIMODE GDB ELF RC [--attach] [--run RUN-ARGS... --] GDB-COMMAND... [-- CHECK...]
# Starts `trimode run ELF --gdb 0 --gdb-wait` (or `trimode run RUN-ARGS --gdb 0
# --gdb-wait`; with --attach, without --gdb-wait: GDB attaches to the running
# machine), attaches Debian's gdb-multiarch in batch mode with the ELF's
# symbols, runs the GDB commands,
# and checks trimode's exit code is RC and each CHECK string appears in GDB's
# output. A CHECK starting with '!' must NOT appear. Prints PASS or FAILURE.
set -u
tm=$1; gdb=$2; elf=$3; want_rc=$4; shift 4
run_opts=("$elf")
wait_opt=--gdb-wait
if [ "${1:-}" = "--attach" ]; then
  shift
  wait_opt=
fi
if [ "${1:-}" = "--run" ]; then
  shift
  run_opts=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do run_opts+=("$1"); shift; done
  shift
fi
cmds=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do cmds+=(-ex "$1"); shift; done
[ $# -gt 0 ] && shift
dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
"$tm" run "${run_opts[@]}" --gdb 0 $wait_opt > "$dir/out" 2> "$dir/err" &
pid=$!
port=
for _ in $(seq 200); do
  port=$(sed -nE 's/.*listening on 127\.0\.0\.1:([0-9]+).*/\1/p' "$dir/err")
  [ -n "$port" ] && break
  sleep 0.05
done
fail() {
  echo "FAILURE: $*"
  echo "--- gdb:"; cat "$dir/gdb.out" 2>/dev/null | head -c 6000
  echo "--- trimode stderr:"; head -c 3000 "$dir/err"
  exit 1
}
[ -n "$port" ] || fail "trimode did not print its GDB port"
timeout 120 "$gdb" -nx -batch -ex "set architecture riscv:rv32" -ex "set confirm off" \
  -ex "target remote 127.0.0.1:$port" "${cmds[@]}" "$elf" > "$dir/gdb.out" 2>&1
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "trimode still runs after the debugger ended"
wait "$pid"; rc=$?; pid=
[ "$rc" -eq "$want_rc" ] || fail "trimode exit code $rc, want $want_rc"
for c in "$@"; do
  if [ "${c:0:1}" = "!" ]; then
    grep -qF -- "${c:1}" "$dir/gdb.out" && fail "gdb output has '${c:1}'"
  else
    grep -qF -- "$c" "$dir/gdb.out" || fail "gdb output lacks '$c'"
  fi
done
echo "--- gdb session:"; grep -vE '^(warning|Reading)' "$dir/gdb.out" | head -40
echo PASS
