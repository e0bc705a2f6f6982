#!/usr/bin/env python3
"""mkbundle.py: a scenario (JSON) -> one ELF that `trimode run` starts as is.

The bundle is hypervisor.elf with its `tm_bootinfo` filled in and every image
the scenario names (guest kernels, user programs, initial file contents) added
as extra PT_LOAD segments right after the hypervisor image, 4 KiB aligned:
exactly what `trimode run --scenario` is to do (sw/common/include/trimode/
bootinfo.h). This is the reference for that loader and a way to run scenarios
before it exists.

    scenarios/mkbundle.py scenarios/default.json --sw build/sw -o build/default.bundle.elf
    build/trimode run build/default.bundle.elf

Scenario format: docs/software.md. Programs "x" are <sw>/user/x.elf, the
kernel of VM id i is <sw>/kernel_vm<i>.elf, the hypervisor <sw>/hypervisor.elf.
"""
import argparse
import json
import re
import struct
import sys

MAGIC, VERSION = 0x49424D54, 1
MAX_VMS, MAX_PROGRAMS, MAX_IMAGES, MAX_FILTERS, MAX_FILES, NAME_LEN = 8, 8, 32, 32, 16, 32
RAM_BASE, RAM_SIZE = 0x80000000, 128 << 20
KSLOT_STRIDE, KSLOT_SIZE, KSLOT_MAX_ID = 4 << 20, 256 << 10, 4
FILTER_SEND, FILTER_READ, FILTER_WRITE = 1, 2, 4
REPORT_SIZE = 4 + 2 * (4 + 128 * 12) + 3 * (MAX_VMS + 1) * 4
BOOTINFO_SIZE = 7 * 4 + MAX_VMS * 88 + 4 + MAX_IMAGES * 40 + 4 + MAX_FILTERS * 48 + 4 + MAX_FILES * 40 + REPORT_SIZE


class ScenarioError(Exception):
    pass


def size_of(text):
    if isinstance(text, int):
        return text
    m = re.fullmatch(r"\s*(\d+)\s*(KiB|MiB|K|M|)\s*", str(text))
    if not m:
        raise ScenarioError(f"bad size {text!r} (e.g. 1MiB, 512KiB, 65536)")
    return int(m.group(1)) * {"": 1, "K": 1024, "KiB": 1024, "M": 1 << 20, "MiB": 1 << 20}[m.group(2)]


def name_bytes(s):
    b = s.encode()
    if len(b) >= NAME_LEN:
        raise ScenarioError(f"name {s!r} longer than {NAME_LEN - 1} bytes")
    return b.ljust(NAME_LEN, b"\0")


def read_elf(data, what):
    if data[:4] != b"\x7fELF" or data[4] != 1 or data[5] != 1:
        raise ScenarioError(f"{what}: not a little-endian ELF32")
    (e_entry, e_phoff, e_shoff) = struct.unpack_from("<III", data, 24)
    (e_phentsize, e_phnum, e_shentsize, e_shnum) = struct.unpack_from("<HHHH", data, 42)
    loads = []
    for i in range(e_phnum):
        p_type, p_off, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align = struct.unpack_from(
            "<8I", data, e_phoff + i * e_phentsize)
        if p_type == 1 and p_memsz:
            loads.append(dict(off=p_off, vaddr=p_vaddr, filesz=p_filesz, memsz=p_memsz, flags=p_flags,
                              data=bytearray(data[p_off:p_off + p_filesz])))
    symbols = {}
    shdrs = [struct.unpack_from("<10I", data, e_shoff + i * e_shentsize) for i in range(e_shnum)]
    for sh in shdrs:
        if sh[1] == 2:  # SHT_SYMTAB
            strtab = shdrs[sh[6]]
            for j in range(sh[5] // 16):
                st_name, st_value, st_size, st_info, st_other, st_shndx = struct.unpack_from(
                    "<IIIBBH", data, sh[4] + j * 16)
                end = data.index(b"\0", strtab[4] + st_name)
                symbols[data[strtab[4] + st_name:end].decode()] = st_value
    return e_entry, loads, symbols


def build(scenario, sw):
    hv_path = f"{sw}/hypervisor.elf"
    hv = open(hv_path, "rb").read()
    entry, loads, symbols = read_elf(hv, hv_path)
    if "tm_bootinfo" not in symbols:
        raise ScenarioError(f"{hv_path}: no symbol tm_bootinfo")
    end = max([l["vaddr"] + l["memsz"] for l in loads] + [symbols.get("__image_end", 0)])

    images = []  # (name, bytes)
    index = {}

    def image(key, name, data):
        if key not in index:
            if len(images) == MAX_IMAGES:
                raise ScenarioError(f"more than {MAX_IMAGES} images")
            index[key] = len(images)
            images.append((name, data))
        return index[key]

    vms_in = scenario.get("vms", [])
    if not vms_in or len(vms_in) > MAX_VMS:
        raise ScenarioError(f"1..{MAX_VMS} VMs needed")
    vms, by_name = [], {}
    for i, vm in enumerate(vms_in):
        vid = int(vm.get("id", i + 1))
        name = vm.get("name", f"vm{vid}")
        if not 1 <= vid <= KSLOT_MAX_ID:
            raise ScenarioError(f"{name}: id {vid} (kernels exist for 1..{KSLOT_MAX_ID})")
        if name in by_name or vid in [v[0] for v in vms]:
            raise ScenarioError(f"{name}: duplicate VM name or id")
        by_name[name] = vid
        kname = f"kernel_vm{vid}"
        kernel = image(("k", vid), kname, open(f"{sw}/{kname}.elf", "rb").read())
        progs = vm.get("programs", [])
        if len(progs) > MAX_PROGRAMS:
            raise ScenarioError(f"{name}: more than {MAX_PROGRAMS} programs")
        pidx = [image(("p", p), p, open(f"{sw}/user/{p}.elf", "rb").read()) for p in progs]
        start = int(vm.get("start", len(progs)))
        if not 0 <= start <= len(progs):
            raise ScenarioError(f"{name}: start {start} not in 0..{len(progs)}")
        weight = int(vm.get("weight", 1))
        if weight < 1:
            raise ScenarioError(f"{name}: weight must be >= 1")
        vms.append((vid, size_of(vm.get("memory", "1MiB")), weight, kernel, pidx, start, name))

    def vm_id(name, where):
        if name not in by_name:
            raise ScenarioError(f"{where}: no VM named {name!r}")
        return by_name[name]

    files = []
    for f in scenario.get("files", []):
        vid = vm_id(f["vm"], "files")
        content = f["content"].encode() if "content" in f else open(f["source"], "rb").read()
        files.append((vid, image(("f", vid, f["path"]), f"{f['vm']}:{f['path']}", content), f["path"]))
    if len(files) > MAX_FILES:
        raise ScenarioError(f"more than {MAX_FILES} files")

    filters = []
    for f in scenario.get("filters", []):
        frm, to = vm_id(f["from"], "filters"), vm_id(f["to"], "filters")
        if "send" in f:
            filters.append((frm, to, FILTER_SEND, int(f["send"]), ""))
        for key, right in (("read", FILTER_READ), ("write", FILTER_WRITE)):
            if key in f:
                filters.append((frm, to, right, 0, f[key]))
    if len(filters) > MAX_FILTERS:
        raise ScenarioError(f"more than {MAX_FILTERS} filters")

    # Place the images after the hypervisor image, 4 KiB aligned.
    addr = (end + 0xFFF) & ~0xFFF
    placed = []
    for name, data in images:
        placed.append((addr, len(data), name, data))
        addr = (addr + len(data) + 0xFFF) & ~0xFFF
    reserved_end = addr
    first_slot = RAM_BASE + KSLOT_STRIDE * min(v[0] for v in vms)
    if reserved_end > first_slot:
        raise ScenarioError(f"images end at {reserved_end:#x}, past the first kernel slot {first_slot:#x}")

    ts = int(scenario.get("timeslice_us", 100)) * 10
    bi = struct.pack("<7I", MAGIC, VERSION, RAM_BASE, RAM_SIZE, reserved_end, ts, len(vms))
    for k in range(MAX_VMS):
        if k < len(vms):
            vid, mem, weight, kernel, pidx, start, name = vms[k]
            bi += struct.pack("<5I", vid, mem, weight, kernel, len(pidx))
            bi += struct.pack("<8I", *(pidx + [0] * (MAX_PROGRAMS - len(pidx))))
            bi += struct.pack("<I", start) + name_bytes(name)
        else:
            bi += bytes(88)
    bi += struct.pack("<I", len(placed))
    for k in range(MAX_IMAGES):
        bi += struct.pack("<II", placed[k][0], placed[k][1]) + name_bytes(placed[k][2]) if k < len(placed) else bytes(40)
    bi += struct.pack("<I", len(filters))
    for k in range(MAX_FILTERS):
        bi += struct.pack("<4I", *filters[k][:4]) + name_bytes(filters[k][4]) if k < len(filters) else bytes(48)
    bi += struct.pack("<I", len(files))
    for k in range(MAX_FILES):
        bi += struct.pack("<2I", *files[k][:2]) + name_bytes(files[k][2]) if k < len(files) else bytes(40)
    bi += bytes(REPORT_SIZE)
    assert len(bi) == BOOTINFO_SIZE, (len(bi), BOOTINFO_SIZE)

    sym = symbols["tm_bootinfo"]
    for l in loads:
        if l["vaddr"] <= sym and sym + len(bi) <= l["vaddr"] + l["filesz"]:
            o = sym - l["vaddr"]
            l["data"][o:o + len(bi)] = bi
            break
    else:
        raise ScenarioError("tm_bootinfo is not in a loaded, file-backed segment (is it in .bss?)")

    segs = [(l["vaddr"], bytes(l["data"]), l["memsz"], l["flags"]) for l in loads]
    segs += [(a, d, max(len(d), 1), 4) for a, n, name, d in placed]
    return entry, segs, placed, reserved_end


def write_elf(path, entry, segs):
    phoff, n = 52, len(segs)
    off = phoff + 32 * n
    body, phdrs = b"", b""
    for vaddr, data, memsz, flags in segs:
        pad = (vaddr - off) % 4096
        body += bytes(pad)
        off += pad
        phdrs += struct.pack("<8I", 1, off, vaddr, vaddr, len(data), memsz, flags, 4096)
        body += data
        off += len(data)
    ehdr = b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8)
    ehdr += struct.pack("<HHIIIIIHHHHHH", 2, 243, 1, entry, phoff, 0, 0, 52, 32, n, 40, 0, 0)
    with open(path, "wb") as f:
        f.write(ehdr + phdrs + body)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario")
    ap.add_argument("--sw", required=True, help="the build's sw dir (hypervisor.elf, kernel_vm*.elf, user/)")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    try:
        scenario = json.load(open(a.scenario))
        entry, segs, placed, reserved_end = build(scenario, a.sw)
    except (ScenarioError, OSError, KeyError, ValueError) as e:
        sys.exit(f"mkbundle: {a.scenario}: {e}")
    write_elf(a.output, entry, segs)
    for addr, n, name, _ in placed:
        print(f"  {addr:#010x} {n:7d}  {name}")
    print(f"  reserved_end {reserved_end:#010x} -> {a.output}")


if __name__ == "__main__":
    main()
