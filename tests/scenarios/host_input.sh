#!/usr/bin/env bash
# host_input.sh TRIMODE SW_DIR
# Hostile host input to `trimode run`: each case must end within 20 s with exit
# 201 and exactly one line on stderr, free of control characters, and nothing
# on stdout (no uncaught-exception text).
set -u
tm=$1; sw=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fails=0
check() {  # check NAME EXPECTED-TEXT ARGS...
  local name=$1 want=$2; shift 2
  timeout 20 "$tm" run "$@" > "$dir/out" 2> "$dir/err"
  local rc=$?
  local why=""
  [ $rc -eq 201 ] || why="exit code $rc, want 201"
  [ -z "$why" ] && [ "$(wc -l < "$dir/err")" -ne 1 ] && why="stderr has $(wc -l < "$dir/err") lines, want 1"
  [ -z "$why" ] && LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$dir/err" && why="a control character on stderr"
  [ -z "$why" ] && [ -s "$dir/out" ] && why="output on stdout"
  [ -z "$why" ] && ! grep -qF -- "$want" "$dir/err" && why="stderr lacks '$want'"
  if [ -n "$why" ]; then
    echo "FAILURE: $name: $why"; head -c 600 "$dir/err" | cat -v; fails=$((fails + 1))
  else
    echo "ok: $name: $(cat "$dir/err")"
  fi
}
vm='{"name": "vm1", "memory": "1MiB", "programs": ["hello"]'
echo "{\"vms\": [$vm, \"weight\": 1e400}]}" > "$dir/overflow.json"
check "number 1e400" "number overflow" --scenario "$dir/overflow.json" --sw-dir "$sw"
echo "{\"vms\": [$vm, \"weight\": 1e300}]}" > "$dir/huge.json"
check "number 1e300" "weight: must be a whole number" --scenario "$dir/huge.json" --sw-dir "$sw"
echo "{\"vms\": [$vm, \"limits\": {\"cpu_ms\": 99999999999999999999}}]}" > "$dir/big.json"
check "number 1e20" "cpu_ms" --scenario "$dir/big.json" --sw-dir "$sw"
echo "{\"vms\": [$vm}], \"files\": [{\"vm\": \"vm1\", \"path\": \"z\", \"source\": \"/dev/zero\"}]}" > "$dir/zero.json"
check "source /dev/zero" "not a regular file" --scenario "$dir/zero.json" --sw-dir "$sw"
mkfifo "$dir/fifo"
echo "{\"vms\": [$vm}], \"files\": [{\"vm\": \"vm1\", \"path\": \"f\", \"source\": \"fifo\"}]}" > "$dir/fifo.json"
check "source FIFO" "not a regular file" --scenario "$dir/fifo.json" --sw-dir "$sw"
head -c 5000 /dev/zero > "$dir/big.bin"
echo "{\"vms\": [$vm}], \"files\": [{\"vm\": \"vm1\", \"path\": \"b\", \"source\": \"big.bin\"}]}" > "$dir/bigsrc.json"
check "source too big" "larger than 4096 bytes" --scenario "$dir/bigsrc.json" --sw-dir "$sw"
check "scenario is a FIFO" "not a regular file" --scenario "$dir/fifo" --sw-dir "$sw"
printf '{"vms": [{"name": "vm1\\u001b[31m\\n[hv] x", "memory": "1MiB", "programs": []}]}' > "$dir/esc.json"
check "escape codes in a name" "vms[0].name" --scenario "$dir/esc.json" --sw-dir "$sw"
printf '{"vms": [\n\n\x1b[2J oops' > "$dir/esc2.json"
check "escape codes in bad JSON" "not valid JSON" --scenario "$dir/esc2.json" --sw-dir "$sw"
check "clock 0.4ps" "out of range" "$sw/hello.elf" --clock 0.4ps
check "clock 1e300s" "out of range" "$sw/hello.elf" --clock 1e300s
[ $fails -eq 0 ] && echo PASS
exit $fails
