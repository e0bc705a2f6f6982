#!/usr/bin/env bash
# gdb_doc_example.sh DOC SOURCE_DIR SESSION TRIMODE GDB ELF
# Replays the example GDB session of DOC (docs/debugging.md: the first ```text
# block after its "## GDB:" heading) with gdb_session.sh: every "(gdb) COMMAND"
# line is run as written, and every other line must appear in GDB's output,
# with the doc's checkout directory /src/trimode read as SOURCE_DIR. Not
# checked: "Continuing." and blank lines (GDB's batch mode prints neither).
# Prints PASS or FAILURE (gdb_session.sh's).
set -u
doc=$1; src=$2; session=$3; tm=$4; gdb=$5; elf=$6
block=$(awk '/^## GDB:/ { gdb = 1 } gdb && /^```text$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' "$doc")
[ -n "$block" ] || { echo "FAILURE: no example GDB session in $doc"; exit 1; }
cmds=()
checks=()
while IFS= read -r line; do
  case $line in
    "(gdb) "*) cmds+=("${line#"(gdb) "}") ;;
    "" | "Continuing.") ;;
    *) checks+=("${line//\/src\/trimode/$src}") ;;
  esac
done <<< "$block"
[ ${#cmds[@]} -gt 0 ] && [ ${#checks[@]} -gt 0 ] || { echo "FAILURE: the example in $doc has no commands or no output"; exit 1; }
exec "$session" "$tm" "$gdb" "$elf" 0 "${cmds[@]}" -- "${checks[@]}"
