#!/usr/bin/env bash
# quiet-build.sh BUILD_DIR JOBS: the build of `make demo`, for a newcomer.
# Prints one progress line (updated in place on a terminal, every 10% in a
# log), keeps the full compiler output in BUILD_DIR/build.log and shows its
# last lines only when the build fails.
set -uo pipefail
. "$(dirname "$0")/usage.sh" && script_usage "$0" "$@"
[ $# -eq 2 ] || { echo "quiet-build.sh: want BUILD_DIR JOBS; see '$0 --help'" >&2; exit 2; }
build=$1 jobs=$2
log=$build/build.log
tty=0; [ -t 1 ] && tty=1
last=-1
cmake --build "$build" -j "$jobs" -- --no-print-directory >"$log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  pct=$(grep -oE '^\[ *[0-9]+%\]' "$log" | tail -1 | tr -dc '0-9')
  if [ -n "$pct" ]; then
    if [ $tty -eq 1 ]; then
      printf '\rbuilding: %3s%%' "$pct"
    elif [ $((pct / 10)) -gt $last ]; then
      last=$((pct / 10)); echo "building: $pct%"
    fi
  fi
  sleep 1
done
wait "$pid"; rc=$?
[ $tty -eq 1 ] && printf '\r'
if [ $rc -ne 0 ]; then
  echo "build failed (exit $rc); the last lines of $log:"
  tail -n 30 "$log"
  exit $rc
fi
echo "building: done (full output in $log)"
