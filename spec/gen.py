#!/usr/bin/env python3
"""Generate Trimode's C++, C, SystemVerilog and Markdown views of spec/*.txt.

usage: gen.py SPEC_DIR OUT_DIR

Writes, under OUT_DIR:
  include/trimode/spec.hpp   C++17, namespace trimode::spec (models/, tlm/, trimode)
  include/trimode/spec.h     C, for sw/ (CSR numbers, causes, address map, device
                             registers, layout, gates, the Zicsr decoder)
  include/trimode/limits.h   C macros TM_LIMIT_* of spec/limits.txt (sw/, bootinfo.h, the scenario loader)
  docs/limits.md             the limits table (copied into docs/software.md, "Limits")
  spec.cmake                 CMake variables for sw/ (region bases, layout constants, limits)
  rtl/trimode_spec_pkg.sv    SystemVerilog package of constants for rtl/
  rtl/trimode_ref_decide.v   table-driven Verilog reference decoder (the formal proof)
                             (spec.hpp also holds spec/timing.txt's event classes)
  docs/*.md                  tables for docs/ (docs/generated/ holds a checked copy)
  include/trimode/waves.hpp  the platform trace's signal table (spec/waves.txt)
  waves/trimode.gtkw         GTKWave save file for every platform trace (VCD or FST)
  waves/<filter>.txt         GTKWave translate filter files: mode, kind, action, cause
  waves/trimode.gtkwaverc    GTKWave settings: open zoomed to fit the whole trace
  waves/trap_unit.gtkw       GTKWave save file for the trap unit's FST (--rtl-fst; spec/trap_unit_waves.txt)

Python standard library only. Every error names the file and line.
"""
import os
import re
import sys

MODES = ["U", "G", "V"]
ABI = ([], [])
MODE_CODE = {"U": 0, "G": 1, "V": 2}
KIND_DEFAULT_CAUSE = {2: "priv_insn", 1: "sensitive_insn"}
OWNER_OF_KIND = {3: "U", 2: "G", 1: "V"}


class SpecError(Exception):
    pass


def rows_of(path):
    """Yield (line_number, fields) for each non-comment line."""
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if line:
                yield n, line


def parse_int(text, where):
    try:
        return int(text, 0)
    except ValueError:
        raise SpecError(f"{where}: not a number: {text!r}")


# ---- causes ------------------------------------------------------------------
def load_causes(path):
    causes = []
    for n, line in rows_of(path):
        parts = line.split(None, 3)
        if len(parts) < 4:
            raise SpecError(f"{path}:{n}: want code name owner description")
        code, name, owner, desc = parts
        if owner not in ("exc", "G", "V"):
            raise SpecError(f"{path}:{n}: owner must be exc, G or V")
        causes.append(dict(code=parse_int(code, f"{path}:{n}"), name=name, owner=owner, desc=desc))
    names = [c["name"] for c in causes]
    if len(set(names)) != len(names):
        raise SpecError(f"{path}: duplicate cause name")
    return causes


# ---- CSRs --------------------------------------------------------------------
def parse_fields(text, where):
    if text == "-":
        return []
    fields = []
    for item in text.split(","):
        m = re.fullmatch(r"(\w+)\[(\d+)(?::(\d+))?\](:ro)?", item)
        if not m:
            raise SpecError(f"{where}: bad field {item!r}")
        hi = int(m.group(2))
        lo = int(m.group(3)) if m.group(3) is not None else hi
        fields.append(dict(name=m.group(1), hi=hi, lo=lo, ro=m.group(4) is not None))
    return fields


def field_mask(f):
    return ((1 << (f["hi"] - f["lo"] + 1)) - 1) << f["lo"]


def fields_text(fields):
    """The fields column as written in the spec ('-' when none)."""
    return ",".join((f"{f['name']}[{f['hi']}:{f['lo']}]" if f["hi"] != f["lo"] else f"{f['name']}[{f['hi']}]") +
                    (":ro" if f["ro"] else "") for f in fields) or "-"


def load_csrs(path):
    csrs = []
    for n, line in rows_of(path):
        parts = line.split(None, 7)
        if len(parts) < 8:
            raise SpecError(f"{path}:{n}: want number name kind access reset block fields description")
        num, name, kind, access, reset, block, fields, desc = parts
        where = f"{path}:{n}"
        kind = parse_int(kind, where)
        if kind not in (1, 2, 3):
            raise SpecError(f"{where}: kind must be 1, 2 or 3")
        if access not in ("rw", "ro"):
            raise SpecError(f"{where}: access must be rw or ro")
        number = parse_int(num, where)
        if not 0 <= number < 4096:
            raise SpecError(f"{where}: CSR number out of range")
        csrs.append(dict(number=number, name=name, kind=kind, access=access,
                         reset=parse_int(reset, where), block=block,
                         fields=parse_fields(fields, where), desc=desc))
    if len({c["number"] for c in csrs}) != len(csrs):
        raise SpecError(f"{path}: duplicate CSR number")
    return csrs


# ---- opcodes -----------------------------------------------------------------
def parse_field(token, where):
    m = re.fullmatch(r"(\d+)(?:\.\.(\d+))?=(\w+)", token)
    if not m:
        return None
    hi = int(m.group(1))
    lo = int(m.group(2)) if m.group(2) is not None else hi
    value = parse_int(m.group(3), where)
    if hi < lo or hi > 31 or value >= (1 << (hi - lo + 1)):
        raise SpecError(f"{where}: bad field {token!r}")
    return hi, lo, value


def encode(fields, where):
    match = mask = 0
    for hi, lo, value in fields:
        bits = ((1 << (hi - lo + 1)) - 1) << lo
        if mask & bits:
            raise SpecError(f"{where}: fields overlap")
        mask |= bits
        match |= value << lo
    return match, mask


def parse_cell(text, causes, where):
    """'3' | '2>G' | '2>G:ecall_u' | '-'  ->  dict(kind, action, target, cause)."""
    if text == "-":
        return dict(kind=0, action="illegal", target=None, cause="illegal_insn")
    m = re.fullmatch(r"([123])(?:>([GV])(?::(\w+))?)?", text)
    if not m:
        raise SpecError(f"{where}: bad mode cell {text!r}")
    kind = int(m.group(1))
    if m.group(2) is None:
        return dict(kind=kind, action="exec", target=None, cause=None)
    cause = m.group(3) or KIND_DEFAULT_CAUSE.get(kind)
    if cause is None or cause not in causes:
        raise SpecError(f"{where}: unknown or missing cause in {text!r}")
    return dict(kind=kind, action="trap", target=m.group(2), cause=cause)


def csr_cells(csr, causes, where):
    owner = OWNER_OF_KIND[csr["kind"]]
    cells = []
    for mode in MODES:
        if MODE_CODE[mode] >= MODE_CODE[owner]:
            cells.append(parse_cell(str(csr["kind"]), causes, where))
        else:
            cells.append(parse_cell(f"{csr['kind']}>{owner}", causes, where))
    return cells


def load_opcodes(path, csrs, causes):
    rows = []
    for n, line in rows_of(path):
        where = f"{path}:{n}"
        if "|" not in line:
            raise SpecError(f"{where}: missing '|' before the mode cells")
        left, right = line.split("|", 1)
        tokens = left.split()
        name = tokens[0]
        fields, operands = [], []
        for tok in tokens[1:]:
            f = parse_field(tok, where)
            if f:
                fields.append(f)
            else:
                operands.append(tok)
        cells_text = right.split()
        if cells_text == ["@csr"]:
            for csr in csrs:
                extra = []
                if csr["access"] == "ro":
                    if name in CSR_WRITE_ALWAYS:
                        continue
                    extra = [(19, 15, 0)]        # set/clear nothing: a pure read
                match, mask = encode(fields + [(31, 20, csr["number"])] + extra, where)
                rows.append(dict(name=f"{name}.{csr['name']}", base=name, match=match, mask=mask,
                                 operands=operands, cells=csr_cells(csr, causes, where),
                                 csr=csr["name"]))
            continue
        if len(cells_text) != 3:
            raise SpecError(f"{where}: want three mode cells (U G V)")
        match, mask = encode(fields, where)
        rows.append(dict(name=name, base=name, match=match, mask=mask, operands=operands,
                         cells=[parse_cell(c, causes, where) for c in cells_text], csr=None))
    check_overlap(rows, path)
    return rows


def check_overlap(rows, path):
    """No word may match two rows: two rows overlap iff they agree on their common mask."""
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            common = a["mask"] & b["mask"]
            if (a["match"] & common) == (b["match"] & common):
                raise SpecError(f"{path}: rows {a['name']} and {b['name']} overlap")


# ---- system-call / hypercall ABI --------------------------------------------
def load_abi(path):
    calls, errors = [], []
    for n, line in rows_of(path):
        parts = line.split(None, 5)
        where = f"{path}:{n}"
        if len(parts) < 6:
            raise SpecError(f"{where}: want gate number name args result description")
        gate, number, name, args, result, desc = parts
        entry = dict(gate=gate, number=parse_int(number, where), name=name, args=args, result=result, desc=desc)
        if gate == "error":
            errors.append(entry)
        elif gate in ("ecall", "vcall", "hcall"):
            calls.append(entry)
        else:
            raise SpecError(f"{where}: gate must be ecall, vcall, hcall or error")
    numbers = [c["number"] for c in calls]
    if len(set(numbers)) != len(numbers):
        raise SpecError(f"{path}: two calls share a number")
    return calls, errors


# ---- memory map --------------------------------------------------------------
def load_memory_map(path):
    regions = []
    for n, line in rows_of(path):
        parts = line.split(None, 4)
        if len(parts) < 5:
            raise SpecError(f"{path}:{n}: want name base size dmi description")
        name, base, size, dmi, desc = parts
        where = f"{path}:{n}"
        regions.append(dict(name=name, base=parse_int(base, where), size=parse_int(size, where),
                            dmi=(dmi == "yes"), desc=desc))
    regions.sort(key=lambda r: r["base"])
    for a, b in zip(regions, regions[1:]):
        if a["base"] + a["size"] > b["base"]:
            raise SpecError(f"{path}: {a['name']} overlaps {b['name']}")
    return regions


# ---- device registers --------------------------------------------------------
def load_devices(path, regions):
    names = {r["name"]: r for r in regions}
    regs = []
    for n, line in rows_of(path):
        parts = line.split(None, 7)
        where = f"{path}:{n}"
        if len(parts) < 8:
            raise SpecError(f"{where}: want device name offset width access reset fields description")
        device, name, offset, width, access, reset, fields, desc = parts
        if device not in names:
            raise SpecError(f"{where}: {device!r} is not a region of memory_map.txt")
        width = parse_int(width, where)
        if width not in (1, 2, 4, 8):
            raise SpecError(f"{where}: width must be 1, 2, 4 or 8")
        if access not in ("rw", "ro", "wo"):
            raise SpecError(f"{where}: access must be rw, ro or wo")
        offset = parse_int(offset, where)
        if offset + width > names[device]["size"]:
            raise SpecError(f"{where}: {name} lies beyond the {device} region")
        fields = parse_fields(fields, where)
        if any(f["hi"] >= 8 * width for f in fields):
            raise SpecError(f"{where}: a field lies beyond the register's {width} bytes")
        regs.append(dict(block=device, name=name, offset=offset, width=width, access=access,
                         reset=parse_int(reset, where), fields=fields, desc=desc))
    for a in regs:
        for b in regs:
            if a is not b and a["block"] == b["block"] and a["offset"] <= b["offset"] < a["offset"] + a["width"]:
                raise SpecError(f"{path}: {a['block']} registers {a['name']} and {b['name']} overlap")
    return regs


def csr_regs(csrs):
    """The CSRs as registers of their blocks: offset = CSR number, 4 bytes."""
    return [dict(block=c["block"], name=c["name"], offset=c["number"], width=4, access=c["access"],
                 reset=c["reset"], fields=c["fields"], desc=c["desc"]) for c in csrs]


# ---- layout constants ----------------------------------------------------------
def load_layout(path):
    consts = []
    for n, line in rows_of(path):
        parts = line.split(None, 2)
        if len(parts) < 3:
            raise SpecError(f"{path}:{n}: want name value description")
        consts.append(dict(name=parts[0], value=parse_int(parts[1], f"{path}:{n}"), desc=parts[2]))
    return consts


# Operand fields of an instruction word, as riscv-opcodes' arg_lut names them:
# the Zicsr rows of opcodes.txt name rd, rs1 (or zimm) and csr.
OPERAND_BITS = {"rd": (11, 7), "rs1": (19, 15), "zimm": (19, 15), "csr": (31, 20)}
# Zicsr instructions that always write their CSR (no read-only form exists).
CSR_WRITE_ALWAYS = ("csrrw", "csrrwi")


# ---- emitters ----------------------------------------------------------------
def stamp(comment):
    return f"{comment} Generated from the spec/ tables by spec/gen.py. Do not edit.\n"


def resolve_cell(cell, mode, causes_by_name):
    """Cell -> (kind, action, target mode, cause code) for a given current mode."""
    if cell["action"] == "exec":
        return cell["kind"], "exec", mode, 0
    if cell["action"] == "trap":
        return cell["kind"], "trap", cell["target"], causes_by_name[cell["cause"]]["code"]
    target = "G" if mode == "U" else "V"       # owner rule for exceptions
    return 0, "illegal", target, causes_by_name["illegal_insn"]["code"]


def cpp_ident(name):
    return "k" + "".join(p.capitalize() for p in re.split(r"[._]", name))


def emit_cpp(rows, csrs, causes, regions, devices, layout, limits=(), events=()):
    by_name = {c["name"]: c for c in causes}
    o = ["// " + stamp("").strip(), "#pragma once", "", "#include <cstdint>", "",
         "namespace trimode::spec {", "",
         "enum class Mode : uint8_t { U = 0, G = 1, V = 2 };",
         "enum class Action : uint8_t { kExec = 0, kTrap = 1, kIllegal = 2 };",
         "// Kind 0 means 'no kind': the word is illegal in this mode.",
         "using Kind = uint8_t;", "",
         "// ---- trap causes", ]
    for c in causes:
        o.append(f"inline constexpr uint32_t {cpp_ident('cause_' + c['name'])} = 0x{c['code']:x}u;  // {c['desc']}")
    o += ["", "struct CauseInfo { uint32_t code; const char* name; };",
          f"inline constexpr CauseInfo kCauses[] = {{"]
    o += [f'    {{0x{c["code"]:x}u, "{c["name"]}"}},' for c in causes]
    o += ["};", "", "// ---- CSRs"]
    for c in csrs:
        o.append(f"inline constexpr uint16_t {cpp_ident('csr_' + c['name'])} = 0x{c['number']:03x};  // {c['desc']}")
        for f in c["fields"]:
            fmask = field_mask(f)
            o.append(f"inline constexpr uint32_t {cpp_ident(c['name'] + '_' + f['name'])}Mask = 0x{fmask:x}u;")
            o.append(f"inline constexpr unsigned {cpp_ident(c['name'] + '_' + f['name'])}Shift = {f['lo']};")
    o += ["", "struct CsrInfo { uint16_t number; const char* name; Kind kind; bool read_only; uint32_t reset; const char* block; };",
          "inline constexpr CsrInfo kCsrs[] = {"]
    o += [f'    {{0x{c["number"]:03x}, "{c["name"]}", {c["kind"]}, {str(c["access"] == "ro").lower()}, 0x{c["reset"]:x}u, "{c["block"]}"}},' for c in csrs]
    o += ["};", "", "// ---- instruction table: match/mask and, per mode U G V, the decision",
          "struct Cell { Kind kind; Action action; Mode target; uint32_t cause; };",
          "struct Row { const char* name; const char* base; uint32_t match; uint32_t mask; Cell cell[3]; };",
          "inline constexpr Row kRows[] = {"]
    for r in rows:
        cells = []
        for mode, cell in zip(MODES, r["cells"]):
            kind, action, target, cause = resolve_cell(cell, mode, by_name)
            act = {"exec": "kExec", "trap": "kTrap", "illegal": "kIllegal"}[action]
            cells.append(f"{{{kind}, Action::{act}, Mode::{target}, 0x{cause:x}u}}")
        o.append(f'    {{"{r["name"]}", "{r["base"]}", 0x{r["match"]:08x}u, 0x{r["mask"]:08x}u, {{{", ".join(cells)}}}}},')
    o += ["};", f"inline constexpr unsigned kNumRows = {len(rows)};", ""]
    o += ["// Index of each base instruction in kRows (first row with that base name)."]
    seen = {}
    for i, r in enumerate(rows):
        seen.setdefault(r["base"], i)
    o += ["enum class Op : uint16_t {"]
    o += [f"    {cpp_ident(b)}," for b in seen]
    o += ["    kIllegal,", "};",
          "inline constexpr Op kRowOp[] = {"]
    o += [f"    Op::{cpp_ident(r['base'])}," for r in rows]
    o += ["};", ""] + emit_cpp_disasm(rows) + ["// ---- physical address map"]
    for r in regions:
        o.append(f"inline constexpr uint64_t {cpp_ident(r['name'] + '_base')} = 0x{r['base']:08x}u;  // {r['desc']}")
        o.append(f"inline constexpr uint64_t {cpp_ident(r['name'] + '_size')} = 0x{r['size']:08x}u;")
    o += ["struct Region { const char* name; uint64_t base; uint64_t size; bool dmi; };",
          "inline constexpr Region kRegions[] = {"]
    o += [f'    {{"{r["name"]}", 0x{r["base"]:08x}u, 0x{r["size"]:08x}u, {str(r["dmi"]).lower()}}},' for r in regions]
    o += ["};", ""]
    o += emit_cpp_regs(csrs, devices, layout)
    o += ["// ---- limits (spec/limits.txt)"]
    for c in limits:
        o.append(f"inline constexpr uint32_t {cpp_ident('limit_' + c['name'])} = {c['value']}u;  // {c['desc']}")
    o += emit_cpp_timing(events)
    o += ["}  // namespace trimode::spec", ""]
    return "\n".join(o)


def reg_masks(r):
    """(bits the fields cover, 0 for the whole register; bits of read-only fields)."""
    fields = ro = 0
    for f in r["fields"]:
        fields |= field_mask(f)
        ro |= field_mask(f) if f["ro"] else 0
    return fields, ro


def emit_cpp_regs(csrs, devices, layout):
    o = ["// ---- device register offsets and fields (spec/devices.txt)"]
    for r in devices:
        ident = cpp_ident(f"{r['block']}_{r['name']}")
        o.append(f"inline constexpr uint32_t {ident}Offset = 0x{r['offset']:x};  // {r['desc']}")
        for f in r["fields"]:
            o.append(f"inline constexpr uint64_t {cpp_ident(r['block'] + '_' + r['name'] + '_' + f['name'])}Mask = 0x{field_mask(f):x}u;")
    o += ["", "// ---- every register of every block: the CSRs (offset = CSR number) and the",
          "// device registers. models/regs builds a block's register bank from these rows.",
          "enum class RegAccess : uint8_t { kRW, kRO, kWO };",
          "struct RegInfo {",
          "  const char* block;",
          "  const char* name;",
          "  uint32_t offset;",
          "  uint8_t width;        // bytes",
          "  RegAccess access;",
          "  uint64_t reset;       // stored value after reset",
          "  uint64_t field_bits;  // bits the fields cover; 0: the whole register",
          "  uint64_t ro_bits;     // bits of read-only fields (writes keep them)",
          "};",
          "inline constexpr RegInfo kRegs[] = {"]
    acc = {"rw": "kRW", "ro": "kRO", "wo": "kWO"}
    for r in csr_regs(csrs) + devices:
        fields, ro = reg_masks(r)
        o.append(f'    {{"{r["block"]}", "{r["name"]}", 0x{r["offset"]:x}, {r["width"]}, RegAccess::{acc[r["access"]]}, '
                 f'0x{r["reset"]:x}u, 0x{fields:x}u, 0x{ro:x}u}},')
    blocks = []
    for c in csrs:
        if c["block"] not in blocks:
            blocks.append(c["block"])
    o += ["};", "",
          "// ---- CSR routing: the block serving each CSR number (csrs.txt's block column)",
          "enum class CsrBlock : uint8_t { kNone, " + ", ".join(cpp_ident(b) for b in blocks) + " };",
          "// Indexed by CSR number; the values are CsrBlock's (csr_block() below).",
          "inline constexpr uint8_t kCsrBlockOf[4096] = {"]
    owner = {c["number"]: 1 + blocks.index(c["block"]) for c in csrs}
    for line in range(0, 4096, 64):
        o.append("    " + "".join(f"{owner.get(n, 0)}," for n in range(line, line + 64)))
    o += ["};",
          "constexpr CsrBlock csr_block(uint16_t number) {",
          "  return number < 4096 ? static_cast<CsrBlock>(kCsrBlockOf[number]) : CsrBlock::kNone;",
          "}", "", "// ---- software layout (spec/layout.txt)"]
    for c in layout:
        o.append(f"inline constexpr uint32_t {cpp_ident(c['name'])} = 0x{c['value']:x}u;  // {c['desc']}")
    o.append("")
    return o


def emit_cpp_disasm(rows):
    """Per row, the operand list of spec/opcodes.txt and the CSR it names (for the disassembler)."""
    o = ["// ---- disassembly: each row's operands (spec/opcodes.txt order) and its CSR name, or nullptr",
         "inline constexpr const char* kRowOperands[] = {"]
    o += [f'    "{" ".join(r["operands"])}",' for r in rows]
    o += ["};", "inline constexpr const char* kRowCsr[] = {"]
    o += [f'    "{r["csr"]}",' if r["csr"] else "    nullptr," for r in rows]
    o += ["};", ""]
    return o


def c_ident(name):
    return re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def emit_c_abi(calls, errors):
    o = ["", "/* System calls (ecall, vcall from U) and hypercalls (vcall from G): number in a7 */"]
    for c in calls:
        o.append(f"#define TM_SYS_{c_ident(c['name'])} {c['number']}  /* {c['gate']}({c['args']}) -> {c['result']}: {c['desc']} */")
    o += ["", "/* Error codes, returned negated in a0 */"]
    for e in errors:
        o.append(f"#define TM_{c_ident(e['name'])} {e['number']}  /* {e['desc']} */")
    return o


def emit_c(rows, csrs, causes, regions, devices, layout):
    o = ["/* " + stamp("").strip() + " */", "#ifndef TRIMODE_SPEC_H", "#define TRIMODE_SPEC_H", "",
         "/* Modes */", "#define TM_MODE_U 0u", "#define TM_MODE_G 1u", "#define TM_MODE_V 2u", "",
         "/* Trap causes */"]
    for c in causes:
        o.append(f"#define TM_CAUSE_{c_ident(c['name'])} 0x{c['code']:x}u  /* {c['desc']} */")
    o += ["", "/* CSR numbers and fields */"]
    for c in csrs:
        o.append(f"#define TM_CSR_{c_ident(c['name'])} 0x{c['number']:03x}  /* kind {c['kind']}, {c['access']}: {c['desc']} */")
        for f in c["fields"]:
            fmask = field_mask(f)
            o.append(f"#define TM_{c_ident(c['name'])}_{c_ident(f['name'])} 0x{fmask:x}u")
            o.append(f"#define TM_{c_ident(c['name'])}_{c_ident(f['name'])}_SHIFT {f['lo']}")
    g_rw = [c for c in csrs if c["kind"] == 2 and c["access"] == "rw"]
    o += ["/* G's read-write CSRs: a hypervisor switches each per VM (sw/hypervisor/vm.c checks its list) */",
          f"#define TM_NUM_G_RW_CSRS {len(g_rw)}u"]
    o += ["", "/* Physical address map */"]
    for r in regions:
        o.append(f"#define TM_{c_ident(r['name'])}_BASE 0x{r['base']:08x}u  /* {r['desc']} */")
        o.append(f"#define TM_{c_ident(r['name'])}_SIZE 0x{r['size']:08x}u")
    o += ["", "/* Device registers: offsets from the device's base, field masks (spec/devices.txt) */"]
    for r in devices:
        ident = c_ident(f"{r['block']}_{r['name']}")
        o.append(f"#define TM_{ident}_OFFSET 0x{r['offset']:04x}u  /* {r['width']} bytes, {r['access']}: {r['desc']} */")
        for f in r["fields"]:
            o.append(f"#define TM_{ident}_{c_ident(f['name'])} 0x{field_mask(f):x}u")
    o += ["", "/* Software layout (spec/layout.txt) */"]
    for c in layout:
        o.append(f"#define TM_{c_ident(c['name'])} 0x{c['value']:08x}u  /* {c['desc']} */")
    o += emit_c_abi(*ABI)
    o += ["", "/* Encodings of the Trimode privileged instructions */"]
    for r in rows:
        if r["csr"] is None and (r["match"] & 0x7F) == 0x73:
            o.append(f"#define TM_INSN_{c_ident(r['name'])} 0x{r['match']:08x}u")
    o += ["",
          "#ifndef __ASSEMBLER__",
          "/* Gates and mode instructions, as .insn so stock binutils assembles them. */"]
    for r in rows:
        if r["csr"] is None and (r["match"] & 0x7F) == 0x73:
            o.append(f'#define TM_{c_ident(r["name"])}() __asm__ volatile(".insn i 0x73, 0, x0, x0, 0x{r["match"] >> 20:03x}" ::: "memory")')
    o += ["", "/* The name of a trap cause, as in spec/causes.txt (\"unknown\" otherwise). */",
          "static inline const char *tm_cause_name(unsigned long cause) {", "  switch (cause) {"]
    o += [f'    case 0x{c["code"]:x}u: return "{c["name"]}";' for c in causes]
    o += ["    default: return \"unknown\";", "  }", "}"]
    o += emit_c_csr_decoder(rows)
    o += ["",
          "/* CSR access; csr must be a constant (TM_CSR_...). */",
          '#define TM_CSR_READ(csr) ({ unsigned long __v; __asm__ volatile("csrr %0, %1" : "=r"(__v) : "i"(csr)); __v; })',
          '#define TM_CSR_WRITE(csr, val) __asm__ volatile("csrw %0, %1" :: "i"(csr), "r"(val) : "memory")',
          '#define TM_CSR_SET(csr, val) __asm__ volatile("csrs %0, %1" :: "i"(csr), "r"(val) : "memory")',
          '#define TM_CSR_CLEAR(csr, val) __asm__ volatile("csrc %0, %1" :: "i"(csr), "r"(val) : "memory")',
          "#endif", "", "#endif /* TRIMODE_SPEC_H */", ""]
    return "\n".join(o)


def emit_c_csr_decoder(rows):
    """Field extractors and funct3 values of the Zicsr rows, for V's decoder of a trapped CSR instruction."""
    funct3 = {}
    for r in rows:
        if r["csr"] is not None:
            funct3.setdefault(r["base"], (r["match"] >> 12) & 7)
    opcode = next(r for r in rows if r["csr"] is not None)["match"] & 0x7F
    o = ["", "/* Taking a trapped Zicsr instruction apart (spec/opcodes.txt's @csr rows). */",
         f"#define TM_OPCODE_SYSTEM 0x{opcode:02x}u",
         "#define TM_INSN_OPCODE(insn) ((insn) & 0x7fu)",
         "#define TM_INSN_FUNCT3(insn) (((insn) >> 12) & 7u)"]
    for name, (hi, lo) in OPERAND_BITS.items():
        mask = (1 << (hi - lo + 1)) - 1
        shifted = f"((insn) >> {lo})" if hi == 31 else f"(((insn) >> {lo}) & 0x{mask:x}u)"
        o.append(f"#define TM_INSN_{c_ident(name)}(insn) {shifted}")
    for base, f3 in funct3.items():
        o.append(f"#define TM_FUNCT3_{c_ident(base)} {f3}u{'  /* always writes the CSR */' if base in CSR_WRITE_ALWAYS else ''}")
    return o


MAJOR_OPCODES = {0x03: "LOAD", 0x0F: "MISC_MEM", 0x13: "OP_IMM", 0x17: "AUIPC", 0x23: "STORE",
                 0x33: "OP", 0x37: "LUI", 0x63: "BRANCH", 0x67: "JALR", 0x6F: "JAL", 0x73: "SYSTEM"}


def emit_sv(rows, csrs, causes):
    o = ["// " + stamp("").strip(), "package trimode_spec_pkg;", "",
         "  typedef enum logic [1:0] {", "    ModeU = 2'd0,", "    ModeG = 2'd1,", "    ModeV = 2'd2", "  } mode_e;", "",
         "  typedef enum logic [1:0] {", "    KindNone      = 2'd0,", "    KindSensitive = 2'd1,",
         "    KindPriv      = 2'd2,", "    KindAny       = 2'd3", "  } kind_e;", "",
         "  typedef enum logic [1:0] {", "    ActExec    = 2'd0,", "    ActTrap    = 2'd1,", "    ActIllegal = 2'd2",
         "  } action_e;", "", "  // Major opcodes (instruction bits 6:0)"]
    used = sorted({r["match"] & 0x7F for r in rows})
    for op in used:
        o.append(f"  localparam logic [6:0] Opc{''.join(p.capitalize() for p in MAJOR_OPCODES[op].split('_'))} = 7'h{op:02x};")
    o += ["", "  // Trap causes"]
    for c in causes:
        o.append(f"  localparam logic [31:0] Cause{''.join(p.capitalize() for p in c['name'].split('_'))} = 32'h{c['code']:08x};")
    o += ["", "  // CSR numbers (kind in the comment)"]
    for c in csrs:
        o.append(f"  localparam logic [11:0] Csr{c['name'].capitalize()} = 12'h{c['number']:03x};  // kind {c['kind']}, {c['access']}")
    o += ["", "  // funct12 of the SYSTEM-opcode privileged instructions"]
    for r in rows:
        if r["csr"] is None and (r["match"] & 0x7F) == 0x73:
            o.append(f"  localparam logic [11:0] Funct12{r['name'].capitalize()} = 12'h{r['match'] >> 20:03x};")
    o += ["", "endpackage", ""]
    return "\n".join(o)


def cell_text(cell, mode, by_name):
    kind, action, target, cause = resolve_cell(cell, mode, by_name)
    if action == "exec":
        return f"{kind} · run"
    name = [c["name"] for c in by_name.values() if c["code"] == cause][0]
    return f"{kind or '–'} · {'illegal' if action == 'illegal' else 'trap'} → {target} ({name})"


def emit_docs(rows, csrs, causes, regions, devices, layout):
    by_name = {c["name"]: c for c in causes}
    kind_md = ["<!-- " + stamp("").strip() + " -->", "# The kind table", "",
               "Every encoding, and for each current mode: kind · action → target mode (cause).",
               "An encoding not listed is illegal in every mode (trap by the owner rule, `illegal_insn`).", "",
               "| instruction | match | mask | U | G | V |", "|---|---|---|---|---|---|"]
    for r in rows:
        kind_md.append(f"| `{r['name']}` | `0x{r['match']:08x}` | `0x{r['mask']:08x}` | " +
                       " | ".join(cell_text(c, m, by_name) for m, c in zip(MODES, r["cells"])) + " |")
    csr_md = ["<!-- " + stamp("").strip() + " -->", "# CSRs", "",
              "| number | name | kind | access | reset | block | fields | description |",
              "|---|---|---|---|---|---|---|---|"]
    for c in csrs:
        fields = fields_text(c["fields"]).replace(",", ", ").replace("-", "–")
        csr_md.append(f"| `0x{c['number']:03x}` | `{c['name']}` | {c['kind']} | {c['access']} | `0x{c['reset']:x}` | {c['block']} | {fields} | {c['desc']} |")
    cause_md = ["<!-- " + stamp("").strip() + " -->", "# Trap causes", "",
                "| code | name | owner | description |", "|---|---|---|---|"]
    for c in causes:
        owner = {"exc": "exception: from U → G, from G or V → V", "G": "G", "V": "V"}[c["owner"]]
        cause_md.append(f"| `0x{c['code']:x}` | `{c['name']}` | {owner} | {c['desc']} |")
    map_md = ["<!-- " + stamp("").strip() + " -->", "# Physical address map", "",
              "| region | base | size | end | DMI | description |", "|---|---|---|---|---|---|"]
    for r in regions:
        map_md.append(f"| `{r['name']}` | `0x{r['base']:08x}` | `0x{r['size']:x}` | `0x{r['base'] + r['size'] - 1:08x}` | {'yes' if r['dmi'] else 'no'} | {r['desc']} |")
    calls, errors = ABI
    abi_md = ["<!-- " + stamp("").strip() + " -->", "# System calls and hypercalls", "",
              "Number in `a7`, arguments in `a0`..`a5`, result in `a0` (negative: an error code).",
              "`ecall` goes from U to the guest kernel (G); `vcall` from U goes straight to the hypervisor (V);",
              "`hcall` is `vcall` executed in G.", "",
              "| gate | number | name | arguments | result | description |", "|---|---|---|---|---|---|"]
    for c in calls:
        abi_md.append(f"| `{c['gate']}` | {c['number']} | `{c['name']}` | {c['args']} | {c['result']} | {c['desc']} |")
    abi_md += ["", "| error | code | description |", "|---|---|---|"]
    for e in errors:
        abi_md.append(f"| `{e['name']}` | -{e['number']} | {e['desc']} |")
    dev_md = ["<!-- " + stamp("").strip() + " -->", "# Device registers", "",
              "Offsets from the device's base in the address map. Access `ro`: writes leave the register",
              "unchanged; `wo`: reads return 0. Bits outside the fields read 0 and ignore writes.", "",
              "| device | register | offset | bytes | access | reset | fields | description |",
              "|---|---|---|---|---|---|---|---|"]
    for r in devices:
        fields = fields_text(r["fields"]).replace(",", ", ").replace("-", "–")
        dev_md.append(f"| {r['block']} | `{r['name']}` | `0x{r['offset']:04x}` | {r['width']} | {r['access']} | "
                      f"`0x{r['reset']:x}` | {fields} | {r['desc']} |")
    if layout:
        dev_md += ["", "# Software layout", "", "| constant | value | description |", "|---|---|---|"]
    for c in layout:
        dev_md.append(f"| `{c['name']}` | `0x{c['value']:x}` | {c['desc']} |")
    return {"abi.md": "\n".join(abi_md) + "\n", "device_registers.md": "\n".join(dev_md) + "\n",
            "kind_table.md": "\n".join(kind_md) + "\n", "csrs.md": "\n".join(csr_md) + "\n",
            "causes.md": "\n".join(cause_md) + "\n", "memory_map.md": "\n".join(map_md) + "\n"}


# ---- interrupts -------------------------------------------------------------
IRQ_ENABLES = {"v_ie": 0, "g_ie": 1}        # bit of irq_enable_i


def load_interrupts(path, causes_by_name):
    irqs = []
    for n, line in rows_of(path):
        where = f"{path}:{n}"
        parts = line.split()
        if len(parts) != 5:
            raise SpecError(f"{where}: want cause line U G V")
        cause, bit, cells = parts[0], parse_int(parts[1], where), parts[2:]
        if cause not in causes_by_name or not causes_by_name[cause]["code"] >> 31:
            raise SpecError(f"{where}: {cause!r} is not an interrupt cause of causes.txt")
        if causes_by_name[cause]["owner"] not in MODES:
            raise SpecError(f"{where}: {cause!r} has no owner mode")
        if bit not in (0, 1):
            raise SpecError(f"{where}: line must be 0 or 1")
        for c in cells:
            if c not in ("1", "-") and c not in IRQ_ENABLES:
                raise SpecError(f"{where}: bad cell {c!r} (want 1, -, {', '.join(IRQ_ENABLES)})")
        irqs.append(dict(cause=cause, line=bit, cells=cells, target=causes_by_name[cause]["owner"]))
    return irqs


# ---- event timing -----------------------------------------------------------
def load_timing(path):
    events = []
    for n, line in rows_of(path):
        where = f"{path}:{n}"
        parts = line.split(None, 3)
        if len(parts) != 4:
            raise SpecError(f"{where}: want event tlm_cycles rtl description")
        name, cycles, rtl, desc = parts
        if not re.fullmatch(r"[a-z][a-z_]*", name):
            raise SpecError(f"{where}: bad event name {name!r}")
        cycles = parse_int(cycles, where)
        if not 1 <= cycles <= 255:
            raise SpecError(f"{where}: tlm_cycles must be 1..255")
        if rtl not in ("yes", "no"):
            raise SpecError(f"{where}: rtl must be yes or no")
        events.append(dict(name=name, cycles=cycles, rtl=rtl == "yes", desc=desc))
    if len({e["name"] for e in events}) != len(events):
        raise SpecError(f"{path}: duplicate event name")
    return events


def emit_cpp_timing(events):
    o = ["// ---- event timing (spec/timing.txt): the TLM estimate per trap-unit event",
         "enum class Event : uint8_t {"]
    o += [f"    {cpp_ident(e['name'])}," for e in events]
    o += ["};", "struct EventInfo { const char* name; uint8_t tlm_cycles; bool rtl; };",
          "inline constexpr EventInfo kEvents[] = {"]
    o += [f'    {{"{e["name"]}", {e["cycles"]}, {str(e["rtl"]).lower()}}},  // {e["desc"]}' for e in events]
    o += ["};", f"inline constexpr unsigned kNumEvents = {len(events)};", ""]
    return o


def emit_timing_md(events):
    o = ["| event | TLM estimate (cycles) | RTL-timed under --cosim | what |", "|---|---|---|---|"]
    o += [f"| `{e['name']}` | {e['cycles']} | {'yes' if e['rtl'] else 'no'} | {e['desc']} |" for e in events]
    return "\n".join(o) + "\n"


# ---- Verilog reference decoder (formal proof) ---------------------------------
# The unused mode encoding 2'b11 decides with V's column (the RTL's documented
# choice); an instruction executing in place reports target = mode_i as given.
def emit_ref_verilog(rows, causes, irqs):
    by_name = {c["name"]: c for c in causes}
    code = {m: f"2'd{MODE_CODE[m]}" for m in MODES}
    act = {"exec": "2'd0", "trap": "2'd1", "illegal": "2'd2"}

    def assign(kind, action, target, cause, pad):
        tgt = "mode_i" if action == "exec" else code[target]
        return (f"{pad}kind_o = 2'd{kind}; action_o = {act[action]}; target_o = {tgt}; "
                f"cause_o = 32'h{cause:08x};")

    o = ["// " + stamp("").strip(),
         "// Table-driven reference of the trap decision: one comparison per row of",
         "// spec/opcodes.txt (rows never overlap), then spec/interrupts.txt in priority",
         "// order. Plain Verilog-2005 for yosys; proved equal to rtl/trimode_trap_decide.sv",
         "// by tests/rtl/prove.py. mode_i = 2'b11 decides with V's column.",
         "module trimode_ref_decide (",
         "  input  wire [31:0] insn_i,", "  input  wire [1:0]  mode_i,",
         "  input  wire [1:0]  irq_pending_i,", "  input  wire [1:0]  irq_enable_i,",
         "  output reg  [1:0]  kind_o,", "  output reg  [1:0]  action_o,",
         "  output reg  [1:0]  target_o,", "  output reg  [31:0] cause_o", ");",
         "  wire [1:0] col = (mode_i == 2'd3) ? 2'd2 : mode_i;  // table column", "",
         "  always @* begin",
         "    // Not in the table: illegal in every mode, owner rule (U -> G, G/V -> V).",
         f"    kind_o = 2'd0; action_o = {act['illegal']}; target_o = (col == 2'd0) ? {code['G']} : {code['V']}; "
         f"cause_o = 32'h{by_name['illegal_insn']['code']:08x};"]
    for r in rows:
        o.append(f"    if ((insn_i & 32'h{r['mask']:08x}) == 32'h{r['match']:08x}) begin  // {r['name']}")
        resolved = [resolve_cell(c, m, by_name) for m, c in zip(MODES, r["cells"])]
        if all(x[:2] == resolved[0][:2] and (x[1] == "exec" or x == resolved[0]) for x in resolved):
            o.append(assign(*resolved[0], "      "))
        else:
            o.append("      case (col)")
            for m, x in zip(MODES, resolved):
                label = "default" if m == "V" else code[m]
                o.append(f"        {label}: begin {assign(*x, '').strip()} end")
            o.append("      endcase")
        o.append("    end")
    o.append("    // Interrupts, highest priority last so that it wins.")
    for irq in reversed(irqs):
        terms = []
        for m, c in zip(MODES, irq["cells"]):
            col = f"col == {code[m]}"
            if c == "1":
                terms.append(f"({col})")
            elif c != "-":
                terms.append(f"({col} && irq_enable_i[{IRQ_ENABLES[c]}])")
        cond = " || ".join(terms) or "1'b0"
        o.append(f"    if (irq_pending_i[{irq['line']}] && ({cond})) begin  // {irq['cause']}")
        o.append(assign(0, "trap", irq["target"], by_name[irq["cause"]]["code"], "      "))
        o.append("    end")
    o += ["  end", "endmodule", ""]
    return "\n".join(o)


def emit_limits_h(limits):
    o = ["/* " + stamp("").strip() + " */", "/* Trimode limits (spec/limits.txt): plain macros, for C and C++. */",
         "#ifndef TRIMODE_LIMITS_H", "#define TRIMODE_LIMITS_H"]
    for c in limits:
        o.append(f"#define TM_LIMIT_{c_ident(c['name'])} {c['value']}u  /* {c['desc']} */")
    return "\n".join(o + ["#endif", ""])


def emit_limits_md(limits):
    o = ["<!-- " + stamp("").strip() + " -->", "| limit | value | what it bounds, and how it is enforced |", "|---|---|---|"]
    for c in limits:
        o.append(f"| `{c['name']}` | {c['value']} | {c['desc']} |")
    return "\n".join(o) + "\n"


def emit_cmake(regions, layout):
    o = ["# " + stamp("").strip(), "# The address map's bases and the layout constants, for CMake (sw/)."]
    for r in regions:
        o.append(f"set(TM_{c_ident(r['name'])}_BASE 0x{r['base']:08x})")
    for c in layout:
        o.append(f"set(TM_{c_ident(c['name'])} {c['value']})  # {c['desc']}")
    return "\n".join(o) + "\n"


# ---- waveforms (spec/waves.txt) -----------------------------------------------
WAVE_FORMATS = {"hex": 0x22, "dec": 0x24, "bin": 0x28}  # GTKWave flags: base | right-justify
WAVE_FILTERED = 0x2000                                  # GTKWave TR_FTRANSLATED
WAVE_KINDS = {0: "none (illegal)", 1: "k1 sensitive", 2: "k2 privileged", 3: "k3 unprivileged"}
WAVE_ACTIONS = {0: "exec", 1: "trap", 2: "illegal"}     # spec::Action


def wave_filters(causes):
    """Translate filter name -> [(value, name)] (values as GTKWave prints them in dec)."""
    return {
        "mode": [(MODE_CODE[m], m) for m in MODES],
        "kind": sorted(WAVE_KINDS.items()),
        "action": sorted(WAVE_ACTIONS.items()),
        "cause": [(c["code"], c["name"]) for c in causes],
    }


def load_waves(path, filters):
    signals = []
    for n, line in rows_of(path):
        parts = line.split(None, 5)
        if len(parts) < 6:
            raise SpecError(f"{path}:{n}: want group name width format filter description")
        group, name, width, fmt, flt, desc = parts
        width = parse_int(width, f"{path}:{n}")
        if not 1 <= width <= 64:
            raise SpecError(f"{path}:{n}: width must be 1..64")
        if fmt not in WAVE_FORMATS:
            raise SpecError(f"{path}:{n}: format must be hex, dec or bin")
        if flt != "-" and flt not in filters:
            raise SpecError(f"{path}:{n}: unknown filter {flt!r} (one of {', '.join(filters)})")
        if flt != "-" and fmt != "dec":
            raise SpecError(f"{path}:{n}: a filtered signal is shown in dec (the filters' values)")
        signals.append(dict(group=group, name=name, width=width, fmt=fmt, filter=flt, desc=desc))
    keys = [(s["group"], s["name"]) for s in signals]
    if len(set(keys)) != len(keys):
        raise SpecError(f"{path}: duplicate signal")
    return signals


def wave_ident(s):
    return "k" + "".join(w.capitalize() for w in (s["group"] + "_" + s["name"]).split("_"))


def emit_waves_hpp(signals):
    o = ["// " + stamp("").strip(), "// The platform trace's signals (spec/waves.txt), declared in this order under",
         "// the scope trimode, one sub-scope per group.", "#pragma once", "", "#include <cstdint>", "",
         "namespace trimode::spec {", "",
         "struct WaveSignal { const char* group; const char* name; uint8_t width; const char* filter; };",
         "enum class Wave : uint8_t {"]
    o += [f"  {wave_ident(s)}," for s in signals]
    o += ["};", f"inline constexpr unsigned kWaveCount = {len(signals)};", "inline constexpr WaveSignal kWaveSignals[] = {"]
    o += [f'    {{"{s["group"]}", "{s["name"]}", {s["width"]}, "{"" if s["filter"] == "-" else s["filter"]}"}},  // {s["desc"]}'
          for s in signals]
    o += ["};", "", "}  // namespace trimode::spec", ""]
    return "\n".join(o)


def wave_full_name(s):
    """The name GTKWave gives the signal: scope path, name, [msb:0] for vectors."""
    bits = f"[{s['width'] - 1}:0]" if s["width"] > 1 else ""
    return f"trimode.{s['group']}.{s['name']}{bits}"


def emit_gtkw(signals, filters, waves_dir):
    """A save file with no fixed window: no zoom or marker line, [timestart] 0
    (trimode.gtkwaverc makes GTKWave zoom to fit); only signals every trace has."""
    o = ["[*] " + stamp("").strip(),
         "[*] GTKWave save file for every Trimode platform trace (trimode run --vcd FILE | --fst FILE).",
         f"[*] Open with:  gtkwave FILE {waves_dir}/trimode.gtkw {waves_dir}/trimode.gtkwaverc",
         "[timestart] 0", "[size] 1600 900", "[pos] -1 -1", "[sst_width] 240", "[signals_width] 260",
         "[sst_expanded] 1", "[sst_vpaned_height] 260"]
    index = {name: i + 1 for i, name in enumerate(filters)}
    group = None
    for s in signals + [None]:
        if s is None or s["group"] != group:
            if group is not None:
                o += ["@1000200", f"-{group}"]
            if s is None:
                break
            group = s["group"]
            o += ["@800200", f"-{group}"]
        if s["filter"] != "-":
            o += [f"@{WAVE_FORMATS[s['fmt']] | WAVE_FILTERED:x}",
                  f"^{index[s['filter']]} {waves_dir}/{s['filter']}.txt"]
        else:
            o.append(f"@{WAVE_FORMATS[s['fmt']]:x}")
        o.append(wave_full_name(s))
    o += ["[pattern_trace] 1", "[pattern_trace] 0", ""]
    return "\n".join(o)


def load_unit_waves(path, filters):
    """spec/trap_unit_waves.txt: [(group, signal, width, format, filter)]."""
    rows = []
    for n, line in rows_of(path):
        parts = line.split()
        if len(parts) != 5:
            raise SpecError(f"{path}:{n}: want group signal width format filter")
        group, name, width, fmt, flt = parts
        width = parse_int(width, f"{path}:{n}")
        if fmt not in WAVE_FORMATS:
            raise SpecError(f"{path}:{n}: format must be hex, dec or bin")
        if flt != "-" and (flt not in filters or fmt != "dec"):
            raise SpecError(f"{path}:{n}: a filter is one of {', '.join(filters)}, shown in dec")
        rows.append((group.replace("_", " "), name, width, fmt, flt))
    return rows


def emit_unit_gtkw(rows, filters, waves_dir):
    """The trap unit's save file: its groups in order, enum fields through the
    platform trace's filters, no fixed window (as emit_gtkw)."""
    o = ["[*] " + stamp("").strip(),
         "[*] GTKWave save file for the trap unit's FST (trimode run ... --cosim --rtl-fst FILE).",
         f"[*] Open with:  gtkwave FILE {waves_dir}/trap_unit.gtkw {waves_dir}/trimode.gtkwaverc",
         "[*] Times are the core's simulated time in ps, as in the platform trace (docs/rtl.md).",
         "[timestart] 0", "[size] 1600 900", "[pos] -1 -1", "[treeopen] trap_unit.", "[sst_width] 240",
         "[signals_width] 260", "[sst_expanded] 1", "[sst_vpaned_height] 260"]
    index = {name: i + 1 for i, name in enumerate(filters)}
    group = None
    for row in rows + [None]:
        if row is None or row[0] != group:
            if group is not None:
                o += ["@1000200", f"-{group}"]
            if row is None:
                break
            group = row[0]
            o += ["@800200", f"-{group}"]
        _, name, width, fmt, flt = row
        if flt != "-":
            o += [f"@{WAVE_FORMATS[fmt] | WAVE_FILTERED:x}", f"^{index[flt]} {waves_dir}/{flt}.txt"]
        else:
            o.append(f"@{WAVE_FORMATS[fmt]:x}")
        o.append(f"trap_unit.{name}" + (f"[{width - 1}:0]" if width > 1 else ""))
    o += ["[pattern_trace] 1", "[pattern_trace] 0", ""]
    return "\n".join(o)


def emit_filter(name, values):
    o = ["# " + stamp("").strip(), f"# GTKWave translate filter file: {name} (value as shown in dec, then its name)"]
    o += [f"{v} {n}" for v, n in values]
    return "\n".join(o) + "\n"


def emit_gtkwaverc():
    return "# " + stamp("").strip() + "\n# Open a trace zoomed to fit, whatever its length.\ndo_initial_zoom_fit 1\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    old = None
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
    if old != text:                                 # keep timestamps when nothing changed
        with open(path, "w") as f:
            f.write(text)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    spec, out = argv[1], argv[2]
    try:
        causes = load_causes(os.path.join(spec, "causes.txt"))
        csrs = load_csrs(os.path.join(spec, "csrs.txt"))
        rows = load_opcodes(os.path.join(spec, "opcodes.txt"), csrs, {c["name"]: c for c in causes})
        regions = load_memory_map(os.path.join(spec, "memory_map.txt"))
        devices = load_devices(os.path.join(spec, "devices.txt"), regions)
        layout = []  # spec/layout.txt's kernel slots went with relocatable guest kernels (limits.txt: kernel_bytes)
        limits = load_layout(os.path.join(spec, "limits.txt"))
        global ABI
        ABI = load_abi(os.path.join(spec, "abi.txt"))
        irqs = load_interrupts(os.path.join(spec, "interrupts.txt"), {c["name"]: c for c in causes})
        filters = wave_filters(causes)
        waves = load_waves(os.path.join(spec, "waves.txt"), filters)
        unit_waves = load_unit_waves(os.path.join(spec, "trap_unit_waves.txt"), filters)
        events = load_timing(os.path.join(spec, "timing.txt"))
    except (SpecError, OSError) as e:
        print(f"gen.py: error: {e}", file=sys.stderr)
        return 1
    write(os.path.join(out, "include/trimode/spec.hpp"), emit_cpp(rows, csrs, causes, regions, devices, layout, limits, events))
    write(os.path.join(out, "include/trimode/spec.h"), emit_c(rows, csrs, causes, regions, devices, layout))
    write(os.path.join(out, "spec.cmake"), emit_cmake(regions, layout + [dict(c, name="limit_" + c["name"]) for c in limits]))
    write(os.path.join(out, "include/trimode/limits.h"), emit_limits_h(limits))
    write(os.path.join(out, "docs/limits.md"), emit_limits_md(limits))
    write(os.path.join(out, "rtl/trimode_spec_pkg.sv"), emit_sv(rows, csrs, causes))
    write(os.path.join(out, "rtl/trimode_ref_decide.v"), emit_ref_verilog(rows, causes, irqs))
    write(os.path.join(out, "include/trimode/waves.hpp"), emit_waves_hpp(waves))
    waves_dir = os.path.join(os.path.abspath(out), "waves")
    write(os.path.join(waves_dir, "trimode.gtkw"), emit_gtkw(waves, filters, waves_dir))
    write(os.path.join(waves_dir, "trimode.gtkwaverc"), emit_gtkwaverc())
    write(os.path.join(waves_dir, "trap_unit.gtkw"), emit_unit_gtkw(unit_waves, filters, waves_dir))
    for name, values in filters.items():
        write(os.path.join(waves_dir, name + ".txt"), emit_filter(name, values))
    for name, text in emit_docs(rows, csrs, causes, regions, devices, layout).items():
        write(os.path.join(out, "docs", name), text)
    write(os.path.join(out, "docs", "timing.md"), emit_timing_md(events))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
