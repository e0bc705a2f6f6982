#!/usr/bin/env bash
# outputs_spare_inputs.sh TRIMODE SW_DIR
# No output of a scenario run may overwrite a file the scenario is made of
# (docs/overview.md, "Output files"): the hypervisor, the guest kernel, a
# program's ELF, a files[].source, a VM's image. Each case names one of them
# as an output (--trace-insn, --vcd, --save-at, a checkpoint's "save"): exit
# 201 before the run, one line naming the output and the input, and the input
# unchanged. Until 2026-12-06 only the bare ELF and the scenario file were
# spared: `--save-at 1000 SW/kernel.elf` wrote a checkpoint over the kernel.
set -u
tm=$1; sw_in=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
cp -r "$sw_in" "$dir/sw"  # (a copy: a failure here must not break the other tests' programs)
sw=$dir/sw
fails=0
refused() {  # refused NAME VICTIM EXPECTED-TEXT ARGS...
  local name=$1 victim=$2 want=$3; shift 3
  local before; before=$(md5sum < "$victim")
  (cd "$dir" && timeout 60 "$tm" run "$@" > "$dir/out" 2> "$dir/err")
  local rc=$? why=""
  [ $rc -eq 201 ] || why="exit code $rc, want 201"
  [ -z "$why" ] && [ "$(wc -l < "$dir/err")" -ne 1 ] && why="stderr has $(wc -l < "$dir/err") lines, want 1"
  [ -z "$why" ] && ! grep -qF -- "$want" "$dir/err" && why="stderr lacks '$want'"
  [ -z "$why" ] && [ "$(md5sum < "$victim")" != "$before" ] && why="$victim changed"
  if [ -n "$why" ]; then
    echo "FAILURE: $name: $why"; head -c 600 "$dir/err"; fails=$((fails + 1))
  else
    echo "ok: $name: $(cat "$dir/err")"
  fi
}
vm='{"name": "vm1", "memory": "1MiB", "programs": ["hello"]}'
echo "{\"vms\": [$vm]}" > "$dir/one.json"
refused "--trace-insn over the hypervisor" "$sw/hypervisor.elf" \
  "--trace-insn would overwrite the scenario's hypervisor $sw/hypervisor.elf" \
  --scenario one.json --sw-dir "$sw" --trace-insn "$sw/hypervisor.elf"
refused "--save-at over the guest kernel" "$sw/kernel.elf" \
  "--save-at would overwrite the scenario's guest kernel $sw/kernel.elf" \
  --scenario one.json --sw-dir "$sw" --save-at 1000 "$sw/kernel.elf"
refused "--vcd over a program" "$sw/user/hello.elf" \
  "--vcd would overwrite the scenario's vms[0].programs[0] $sw/user/hello.elf" \
  --scenario one.json --sw-dir "$sw" --vcd "$sw/user/hello.elf"
# A "save" checkpoint (relative to the scenario) over a program and over a file's source.
echo "{\"vms\": [$vm], \"checkpoints\": [{\"vm\": \"vm1\", \"at_us\": 100, \"save\": \"sw/user/hello.elf\"}]}" > "$dir/save_elf.json"
refused "\"save\" over a program" "$sw/user/hello.elf" \
  "a scenario's \"save\" checkpoint would overwrite the scenario's vms[0].programs[0]" \
  --scenario save_elf.json --sw-dir "$sw"
echo "hello" > "$dir/src.txt"
echo "{\"vms\": [$vm], \"files\": [{\"vm\": \"vm1\", \"path\": \"greeting\", \"source\": \"src.txt\"}],
  \"checkpoints\": [{\"vm\": \"vm1\", \"at_us\": 100, \"save\": \"src.txt\"}]}" > "$dir/save_src.json"
refused "\"save\" over a file's source" "$dir/src.txt" \
  "a scenario's \"save\" checkpoint would overwrite the scenario's files[0].source" \
  --scenario save_src.json --sw-dir "$sw"
# A VM started from an image and saved again into it: refused too (the run has read it, but the
# user's image would be gone); saved elsewhere, it runs.
echo '{"vms": [{"name": "vm1", "memory": "1MiB", "programs": ["compute"]}], "checkpoints": [{"vm": "vm1", "at_us": 1000, "save": "vm1.img"}]}' > "$dir/make_img.json"
(cd "$dir" && timeout 60 "$tm" run --scenario make_img.json --sw-dir "$sw" > "$dir/img.out" 2>&1)
if [ ! -s "$dir/vm1.img" ]; then
  echo "FAILURE: the image for the last case was not written: $(tail -3 "$dir/img.out")"; fails=$((fails + 1))
else
  echo '{"vms": [{"name": "vm1", "image": "vm1.img"}], "checkpoints": [{"vm": "vm1", "at_us": 100, "save": "vm1.img"}]}' > "$dir/again.json"
  refused "\"save\" over the VM's own image" "$dir/vm1.img" \
    "a scenario's \"save\" checkpoint would overwrite the scenario's vms[0].image" \
    --scenario again.json --sw-dir "$sw"
  sed 's/"save": "vm1.img"/"save": "vm1b.img"/' "$dir/again.json" > "$dir/elsewhere.json"
  (cd "$dir" && timeout 60 "$tm" run --scenario elsewhere.json --sw-dir "$sw" > "$dir/else.out" 2>&1)
  rc=$?
  if [ $rc -ne 0 ] || [ ! -s "$dir/vm1b.img" ]; then
    echo "FAILURE: saved elsewhere: exit $rc, $(tail -3 "$dir/else.out")"; fails=$((fails + 1))
  else
    echo "ok: saved elsewhere: exit 0, $(stat -c %s "$dir/vm1b.img") bytes"
  fi
fi
[ $fails -eq 0 ] || { echo "FAILURE: $fails case(s)"; exit 1; }
echo "all outputs that named an input were refused, the inputs unchanged"
