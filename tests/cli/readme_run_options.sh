#!/usr/bin/env bash
# readme_run_options.sh TRIMODE README
# README.md's list of `run` options (the paragraph starting "Options of `run`")
# names every option `trimode run --help` lists (--help aside), each as
# "`--name" followed by a space, a backtick or '='. Prints PASS or FAILURE.
set -u
tm=$1; readme=$2
options=$("$tm" run --help | grep -oE '^  (-h,)?--[a-z0-9-]+' | sed -E 's/^ *(-h,)?//' | grep -vx -- '--help')
[ -n "$options" ] || { echo "FAILURE: no options in 'trimode run --help'"; exit 1; }
list=$(awk '/^Options of `run`/ { inside = 1 } inside && /^$/ { exit } inside { print }' "$readme")
[ -n "$list" ] || { echo "FAILURE: no 'Options of \`run\`' paragraph in $readme"; exit 1; }
missing=""
for option in $options; do
  grep -qE -- "\`$option[ \`=]" <<< "$list" || missing="$missing $option"
done
[ -z "$missing" ] || { echo "FAILURE: $readme's list of run options lacks:$missing"; exit 1; }
echo "PASS: $(wc -w <<< "$options") options listed"
