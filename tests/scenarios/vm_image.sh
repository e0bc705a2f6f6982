#!/usr/bin/env bash
# vm_image.sh TRIMODE SW_DIR SCENARIOS_DIR: a VM checkpointed in one run and
# started from its saved image in another (docs/software.md, "VM checkpoint
# and resume", "Across runs").
#  1. Run A: the default scenario, vm1 checkpointed at 50 ms with "save":
#     its image is written to a host file, vm1 is reported "saved".
#     Run B: vm1 starts from that image ("image"), vm2 runs hello only.
#     vm1's lines of A then B are exactly those of the uninterrupted run
#     (same PIDs: pid 2 ends in run B), both runs exit 0. vm1 has its own
#     file quota in run A (limits.files 10, the default is 4): in run B it
#     keeps it, so its 6 initial files there are within it, for the loader
#     and the hypervisor alike (both checked them against the default 4: the
#     loader refused run B); 11 are over it, refused naming 10.
#  2. Bad images given to vms[].image: corrupt, truncated, another version,
#     not an image, missing, extra bytes, limits out of range; "image" with "memory" or "limits": one line each,
#     exit 201. An image of another VM name or id: one line, exit 201 (the
#     loader reads both from the image).
set -u
tm=$1 sw=$2 scen=$3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail() { echo "FAILURE: $*"; exit 1; }

python3 - "$scen/default.json" "$dir" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
a = dict(d, checkpoints=[{"vm": "vm1", "at_us": 50000, "save": "vm1.img"}])
a["vms"] = [dict(d["vms"][0], limits={"files": 10}), d["vms"][1]]
json.dump(a, open(sys.argv[2] + "/a.json", "w"))
b = dict(d)
b["vms"] = [{"name": "vm1", "image": "vm1.img"}, {"name": "vm2", "memory": "1MiB", "programs": ["hello"]}]
b["files"] = d["files"] + [{"vm": "vm1", "path": "f%d" % i, "content": "x"} for i in range(5)]
json.dump(b, open(sys.argv[2] + "/b.json", "w"))
b["files"] = d["files"] + [{"vm": "vm1", "path": "f%d" % i, "content": "x"} for i in range(10)]
json.dump(b, open(sys.argv[2] + "/quota.json", "w"))
PY
"$tm" run --scenario "$scen/default.json" --sw-dir "$sw" > "$dir/base.out" 2>&1 || fail "uninterrupted run: exit $?"
"$tm" run --scenario "$dir/a.json" --sw-dir "$sw" --memmap-svg "$dir/a.svg" > "$dir/a.out" 2>&1 || { cat "$dir/a.out"; fail "run A: exit $?"; }
# the image V keeps to the end is named in the summary's map and the SVG as the hypervisor names it (it was "VM 65")
grep -Eq '^\[0x[0-9a-f]+, 0x[0-9a-f]+\) +[0-9]+ KiB +vm1 \(image\)$' "$dir/a.out" || { cat "$dir/a.out"; fail "run A: the map does not name vm1's image"; }
grep -q '>vm1 (image)<' "$dir/a.svg" || fail "run A: the SVG does not name vm1's image"
grep -Eq 'VM [0-9]+' "$dir/a.svg" && fail "run A: the SVG names an owner by number: $(grep -Eo 'VM [0-9]+' "$dir/a.svg" | head -1)"
[ -s "$dir/vm1.img" ] || { cat "$dir/a.out"; fail "run A wrote no image"; }
grep -q '^\[hv\] vm1 checkpointed: saved for another run' "$dir/a.out" || fail "run A: vm1 not saved"
grep -q '^VM 1 (vm1): saved for another run, code 0' "$dir/a.out" || fail "run A: summary does not say saved"
grep -q "^trimode: the image of VM 1 ([0-9]* bytes) written to $dir/vm1.img$" "$dir/a.out" || fail "run A: no line about the file"
grep -q '^\[vm1\] ' "$dir/a.out" || fail "vm1 had printed nothing before its checkpoint"
grep -q '^\[vm1 kernel\] pid 2 exited' "$dir/a.out" && fail "vm1's pid 2 had already ended in run A: not mid-run"
"$tm" run --scenario "$dir/b.json" --sw-dir "$sw" > "$dir/b.out" 2>&1 || { cat "$dir/b.out"; fail "run B: exit $?"; }
grep -Eq '^\[hv\] vm1: VM 1, started from its image image:vm1.img: [0-9]+ KiB in [0-9]+ segments?' "$dir/b.out" ||
  { cat "$dir/b.out"; fail "run B: vm1 not started from its image"; }
grep -q '^\[vm1 kernel\] guest kernel of VM' "$dir/b.out" && fail "run B: vm1's kernel booted again"
grep -q 'quota' "$dir/b.out" && { cat "$dir/b.out"; fail "run B: vm1's initial files checked against another quota than its image's"; }
"$tm" run --scenario "$dir/quota.json" --sw-dir "$sw" > "$dir/quota.out" 2>&1; rc=$?
[ "$rc" = 201 ] && [ "$(wc -l < "$dir/quota.out")" = 1 ] &&
  grep -qF "VM 'vm1' has 11 initial files, more than its quota of 10" "$dir/quota.out" ||
  fail "11 initial files for vm1 (its image's quota 10): exit $rc: $(cat "$dir/quota.out")"
grep '^\[vm1' "$dir/base.out" > "$dir/base.vm1"
{ grep '^\[vm1' "$dir/a.out"; grep '^\[vm1' "$dir/b.out"; } > "$dir/ab.vm1"
grep -q 'pid 2 exited, code 0' "$dir/base.vm1" || fail "no PIDs in vm1's lines"
diff "$dir/base.vm1" "$dir/ab.vm1" || fail "vm1's lines of run A then B differ from the uninterrupted run"
echo "run A saved vm1 ($(stat -c %s "$dir/vm1.img") bytes), run B went on from it: $(wc -l < "$dir/ab.vm1") vm1 lines as uninterrupted"

# 2. bad images
good="$dir/vm1.img"
bad() { # name, image file, expected message
  printf '{"vms": [{"name": "vm1", "image": "%s"}]}' "$2" > "$dir/$1.json"
  "$tm" run --scenario "$dir/$1.json" --sw-dir "$sw" > "$dir/$1.out" 2>&1; rc=$?
  [ "$rc" = 201 ] || { cat "$dir/$1.out"; fail "$1: exit $rc, want 201"; }
  [ "$(wc -l < "$dir/$1.out")" = 1 ] || fail "$1: not one line: $(cat "$dir/$1.out")"
  grep -qF "$3" "$dir/$1.out" || fail "$1: $(cat "$dir/$1.out"), want: $3"
}
patch() { # copy of the good image with byte OFFSET xor'ed with 1
  cp "$good" "$dir/$1"
  python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[int(sys.argv[2])]^=1; open(p,'wb').write(b)" "$dir/$1" "$2"
}
patch corrupt.img 5000
bad corrupt corrupt.img "vms[0].image: '$dir/corrupt.img': checksum mismatch (corrupt image)"
head -c 100000 "$good" > "$dir/cut.img"
bad truncated cut.img "vms[0].image: '$dir/cut.img' is truncated (100000 of $(stat -c %s "$good") bytes)"
patch other.img 4
ver=$(od -An -tu4 -j4 -N4 "$good" | tr -d ' ')
bad version other.img "vms[0].image: '$dir/other.img' is a VM image of version $((ver ^ 1)), this trimode reads version $ver"
echo "not an image at all" > "$dir/text.img"
bad not_image text.img "vms[0].image: '$dir/text.img' is not a VM image"
bad missing nothing.img "vms[0].image: cannot open '$dir/nothing.img'"
{ cat "$good"; echo x; } > "$dir/long.img"
bad extra long.img "vms[0].image: '$dir/long.img' has bytes after the image's end"
printf '{"vms": [{"name": "vm1", "image": "vm1.img", "memory": "1MiB"}]}' > "$dir/mem.json"
"$tm" run --scenario "$dir/mem.json" --sw-dir "$sw" > "$dir/mem.out" 2>&1; rc=$?
[ "$rc" = 201 ] && [ "$(wc -l < "$dir/mem.out")" = 1 ] && grep -qF "vms[0].memory: not with 'image'" "$dir/mem.out" ||
  fail "image with memory: exit $rc: $(cat "$dir/mem.out")"
# the image holds the VM's limits and budgets (the hypervisor used them, silently over a scenario's 'limits')
printf '{"vms": [{"name": "vm1", "image": "vm1.img", "limits": {"cpu_ms": 1}}]}' > "$dir/lim.json"
"$tm" run --scenario "$dir/lim.json" --sw-dir "$sw" > "$dir/lim.out" 2>&1; rc=$?
[ "$rc" = 201 ] && [ "$(wc -l < "$dir/lim.out")" = 1 ] && grep -qF "vms[0].limits: not with 'image'" "$dir/lim.out" ||
  fail "image with limits: exit $rc: $(cat "$dir/lim.out")"
printf '{"vms": [{"name": "vm1", "memory": "1MiB", "programs": ["hello"]}], "checkpoints": [{"vm": "vm1", "at_us": 5, "save": "x.img", "resume_us": 9}]}' > "$dir/sr.json"
"$tm" run --scenario "$dir/sr.json" --sw-dir "$sw" > "$dir/sr.out" 2>&1; rc=$?
[ "$rc" = 201 ] && grep -qF "'save' takes neither 'resume_us' nor 'move'" "$dir/sr.out" || fail "save with resume_us: exit $rc: $(cat "$dir/sr.out")"
echo "bad images: corrupt, truncated, another version, not an image, missing, extra bytes, with memory, with limits: one line, exit 201"
# an image given to a VM of another name or id: the loader reads both from the image (one line, 201);
# before, the hypervisor refused it at run time (the VM not created, 205)
printf '{"vms": [{"name": "vmx", "image": "vm1.img"}]}' > "$dir/name.json"
"$tm" run --scenario "$dir/name.json" --sw-dir "$sw" > "$dir/name.out" 2>&1; rc=$?
[ "$rc" = 201 ] && [ "$(wc -l < "$dir/name.out")" = 1 ] &&
  grep -qF "vms[0].image: '$dir/vm1.img' is the image of VM 'vm1', not of 'vmx' (the names must match)" "$dir/name.out" ||
  fail "an image of another VM name: exit $rc: $(cat "$dir/name.out")"
printf '{"vms": [{"name": "vm1", "image": "vm1.img", "id": 3}]}' > "$dir/id.json"
"$tm" run --scenario "$dir/id.json" --sw-dir "$sw" > "$dir/id.out" 2>&1; rc=$?
[ "$rc" = 201 ] && [ "$(wc -l < "$dir/id.out")" = 1 ] &&
  grep -qF "vms[0].image: '$dir/vm1.img' is the image of VM 1, this VM's id is 3: give it \"id\": 1" "$dir/id.out" ||
  fail "an image of another VM id: exit $rc: $(cat "$dir/id.out")"
printf '{"vms": [{"name": "vm2", "memory": "1MiB", "programs": ["hello"]}, {"name": "vm1", "image": "vm1.img"}]}' > "$dir/pos.json"
"$tm" run --scenario "$dir/pos.json" --sw-dir "$sw" > "$dir/pos.out" 2>&1; rc=$?
[ "$rc" = 201 ] && grep -qF "is the image of VM 1, this VM's id is 2 (its position + 1): give it \"id\": 1" "$dir/pos.out" ||
  fail "an image at another position: exit $rc: $(cat "$dir/pos.out")"
echo "an image of another VM's name or id: one line, exit 201"
# limits the hypervisor never writes (files 0 at TM_VMIMAGE_LIMITS_AT, the checksum made right): one line, exit 201
python3 - "$good" "$dir/nolim.img" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
b[52:56] = struct.pack("<I", 0)  # limits.files: header 16 + id 4 + name 32
h = 2166136261
for i in range(16, len(b), 4):
    h = ((h ^ int.from_bytes(b[i:i + 4].ljust(4, b"\0"), "little")) * 16777619) & 0xffffffff
b[12:16] = struct.pack("<I", h)
open(sys.argv[2], "wb").write(b)
PY
bad nolimits nolim.img "vms[0].image: '$dir/nolim.img' holds limits.files 0, out of its range (not an image this trimode's hypervisor wrote)"
echo PASS
