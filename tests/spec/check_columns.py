#!/usr/bin/env python3
"""Every column of every spec/ table is consumed by something.

usage: check_columns.py SOURCE_DIR GENERATED_DIR

For each table, the columns are read from the table's first comment line
("# Trimode CSRs: number, name, kind, ..."; opcodes.txt's row format is fixed
below). Each column must have an entry in CONSUMERS: a regular expression that
must match in the generated outputs (gen.py still emits the column) and one
that must match in hand-written sources outside spec/ and tests/ (a model,
the software or the RTL reads what gen.py emits). A new column without an
entry, a column gen.py stops emitting, or a column nobody reads any more fails
with one line naming it.
"""
import os
import re
import sys

# Tables whose first line does not list their columns (row formats fixed in their comments).
FIXED_COLUMNS = {"opcodes": ["name", "operands", "fixed fields", "mode cells"],
                 "interrupts": ["cause", "line", "mode cells"]}

# (table, column): (regex over the generated outputs, regex over the sources, where the sources are)
MODELS = ("models", "tlm", "testbench")
SW = ("sw",)
DOCS = ("docs",)
CONSUMERS = {
    ("abi", "gate"): (r"TM_SYS_\w+ \d+  /\* (ecall|vcall|hcall)\(", r"TM_SYS_\w+", SW),
    ("abi", "number"): (r"#define TM_SYS_\w+ \d+", r"TM_SYS_\w+", SW),
    ("abi", "name"): (r"#define TM_SYS_[A-Z_]+ ", r"TM_SYS_\w+", SW),
    ("abi", "arguments"): (r"\| `\w+` \| \d+ \| `\w+` \| [\w,-]+ \|", r"generated/abi\.md", DOCS),
    ("abi", "result"): (r"\| `\w+` \| \d+ \| `\w+` \| [\w,-]+ \| [\w-]+ \|", r"generated/abi\.md", DOCS),
    ("abi", "description"): (r"#define TM_E[A-Z]+ \d+  /\*", r"TM_E(PERM|NOENT|BADF|AGAIN|NOMEM|FAULT|INVAL|NOSYS)\b", SW),
    ("causes", "code"): (r"kCause\w+ = 0x", r"spec::kCause\w+|TM_CAUSE_\w+", MODELS + SW),
    ("causes", "name"): (r"case 0x[0-9a-f]+u: return \"\w+\"", r"tm_cause_name\(|spec::kCauses\b", MODELS + SW),
    ("causes", "owner"): (r"Cell cell\[3\]", r"spec::kRows\b", MODELS),
    ("causes", "description"): (r"\| `0x[0-9a-f]+` \| `\w+` \|", r"generated/causes\.md", DOCS),
    ("csrs", "number"): (r"kCsr\w+ = 0x", r"spec::kCsr[A-Z]\w+|TM_CSR_[A-Z]+\b", MODELS + SW),
    ("csrs", "name"): (r"\{\"(modereg|memctl)\", \"\w+\", 0x", r"regs_\[\"\w+\"\]|csrs_\[info\.name\(\)\]", MODELS),
    ("csrs", "kind"): (r"Cell cell\[3\]", r"spec::kRows\b", MODELS),
    ("csrs", "access"): (r"RegAccess::kRO", r"RegAccess::kRO", ("models/regs",)),
    ("csrs", "reset"): (r"uint64_t reset;", r"info_\.reset\b|reset_value\(\)", ("models",)),
    ("csrs", "block"): (r"kCsrBlockOf\[4096\]", r"spec::csr_block\(", ("models/core",)),
    ("csrs", "fields"): (r"uint64_t ro_bits;", r"info\.field_bits|info\.ro_bits", ("models/regs",)),
    ("csrs", "description"): (r"\| `0x[0-9a-f]+` \| `\w+` \| \d \|", r"generated/csrs\.md", DOCS),
    ("devices", "device"): (r"\{\"(clint|uart|finisher)\", \"\w+\", 0x", r"regs_\(\"(clint|uart|finisher)\"", ("tlm/devices",)),
    ("devices", "name"): (r"\{\"(clint|uart|finisher)\", \"\w+\", 0x", r"regs_\[\"\w+\"\]", ("tlm/devices",)),
    ("devices", "offset"): (r"k(Clint|Uart|Finisher)\w+Offset = 0x|TM_CLINT_\w+_OFFSET", r"spec::k(Clint|Uart)\w+Offset|TM_CLINT_\w+_OFFSET", ("tlm/devices",) + SW),
    ("devices", "width"): (r"uint8_t width;", r"info\.width|info_\.width", ("models/regs",)),
    ("devices", "access"): (r"RegAccess::kWO", r"RegAccess::kWO", ("models/regs",)),
    ("devices", "reset"): (r"uint64_t reset;", r"info_\.reset\b", ("models/regs",)),
    ("devices", "fields"): (r"uint64_t field_bits;", r"info\.field_bits", ("models/regs",)),
    ("devices", "description"): (r"\| (clint|uart|finisher) \| `\w+` \|", r"generated/device_registers\.md", DOCS),
    ("limits", "name"): (r"#define TM_LIMIT_VMS \d+u", r"TM_LIMIT_\w+|spec::kLimit\w+", ("tlm/platform",) + SW),
    ("limits", "value"): (r"set\(TM_LIMIT_KERNEL_BYTES \d+\)", r"\$\{TM_LIMIT_\w+\}", SW),
    ("limits", "description"): (r"\| `vms` \| \d+ \|", r"<!-- limits:begin", DOCS),
    ("memory_map", "name"): (r"\{\"\w+\", 0x[0-9a-f]+u, 0x[0-9a-f]+u, (true|false)\}", r"spec::kRegions\b", ("tlm/platform",)),
    ("memory_map", "base"): (r"k\w+Base = 0x|TM_\w+_BASE 0x", r"spec::k\w+Base\b|TM_(UART|CLINT|FINISHER|RAM)_BASE", MODELS + SW),
    ("memory_map", "size"): (r"k\w+Size = 0x", r"spec::k(Ram|Clint|Uart|Finisher)Size\b", MODELS),
    ("memory_map", "dmi"): (r"bool dmi; \}", r"\br\.dmi\b", ("tlm/platform",)),
    ("memory_map", "description"): (r"\| `\w+` \| `0x[0-9a-f]+` \|", r"generated/memory_map\.md", DOCS),
    ("opcodes", "name"): (r"enum class Op : uint16_t", r"Op::k[A-Z]\w+", ("models/core",)),
    ("opcodes", "operands"): (r"TM_INSN_(RD|RS1|CSR)\(insn\)", r"TM_INSN_(RD|RS1|CSR)\(", SW),
    ("opcodes", "fixed fields"): (r"uint32_t match; uint32_t mask;", r"spec::kRows\[\w+\]\.mask", ("models/classifier",)),
    ("opcodes", "mode cells"): (r"Cell cell\[3\]", r"\.cell\[", ("models",)),
    # interrupts.txt feeds the generated Verilog reference that the formal proof compares the RTL with.
    ("interrupts", "cause"): (r"if \(irq_pending_i\[[01]\] && .*// irq_\w+", r"trimode_ref_decide", ("tests/rtl",)),
    ("interrupts", "line"): (r"if \(irq_pending_i\[[01]\]", r"trimode_ref_decide", ("tests/rtl",)),
    ("interrupts", "mode cells"): (r"irq_enable_i\[[01]\]", r"trimode_ref_decide", ("tests/rtl",)),
    # waves.txt: the platform trace's signals (tlm/platform/waves.cpp) and GTKWave's save file and filters.
    ("waves", "group"): (r"\{\"core\", \"pc\", 32,", r"kWaveSignals\[i\]\.group", ("tlm/platform",)),
    ("waves", "name"): (r"\{\"mem\", \"addr\", 32,", r"Wave::kMemAddr\b", ("tlm/platform",)),
    ("waves", "width"): (r"uint8_t width;", r"kWaveSignals\[i\]\.width", ("tlm/platform",)),
    ("waves", "format"): (r"\n@(22|24|28)\n", r"generated/waves/trimode\.gtkw", DOCS),
    ("waves", "filter"): (r"\n\^\d+ \S+/waves/(mode|kind|action|cause)\.txt\n", r"waves/\{mode,kind,action,cause\}\.txt", DOCS),
    ("waves", "description"): (r"\},  // the mode it ran in", r"spec/waves\.txt", DOCS),
    # trap_unit_waves.txt: the trap unit's save file (the RTL's ports, shown by the docs' view).
    ("trap_unit_waves", "group"): (r"\n-Mode-register port\n", r"generated/waves/trap_unit\.gtkw", DOCS),
    ("trap_unit_waves", "signal"): (r"\ntrap_unit\.req_mode_i\[1:0\]\n", r"\breq_mode_i\b", ("rtl",)),
    ("trap_unit_waves", "width"): (r"\ntrap_unit\.rsp_cause_o\[31:0\]\n", r"logic \[31:0\]\s+rsp_cause_o", ("rtl",)),
    ("trap_unit_waves", "format"): (r"\n@22\ntrap_unit\.", r"generated/waves/trap_unit\.gtkw", DOCS),
    ("trap_unit_waves", "filter"): (r"\n\^\d+ \S+/waves/mode\.txt\ntrap_unit\.", r"generated/waves/trap_unit\.gtkw", DOCS),
    # timing.txt: the TLM estimate per trap-unit event (Hart::charge) and --timing-report.
    ("timing", "event"): (r"enum class Event : uint8_t", r"spec::Event::k[A-Z]\w+", ("models/core",)),
    ("timing", "tlm_cycles"): (r"uint8_t tlm_cycles;", r"\]\.tlm_cycles\b", ("models/core",)),
    ("timing", "rtl"): (r"uint8_t tlm_cycles; bool rtl;", r"kEvents\[i\]\.rtl\b", ("tlm/platform",)),
    ("timing", "description"): (r"\| `trap_g` \| \d+ \|", r"generated/timing\.md", DOCS),
}


def columns(path):
    with open(path) as f:
        first = f.readline()
    m = re.match(r"#[^:]*:\s*(.*?)\.(\s|$)", first)
    if not m:
        return None
    return [c.strip() for c in m.group(1).split(",")]


def read_tree(root, dirs, exts=(".cpp", ".hpp", ".c", ".h", ".S", ".sv", ".txt", ".ld", ".md", ".cmake", ".py")):
    text = []
    for d in dirs:
        for base, subdirs, files in os.walk(os.path.join(root, d)):
            subdirs[:] = [s for s in subdirs if s != "generated" or d == "docs"]
            for name in files:
                if name.endswith(exts) or name == "CMakeLists.txt":
                    with open(os.path.join(base, name), errors="replace") as f:
                        text.append(f.read())
    return "\n".join(text)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, gen = argv[1], argv[2]
    generated = read_tree(gen, ["."], exts=(".hpp", ".h", ".md", ".cmake", ".sv", ".v", ".gtkw"))
    failures = []
    tables = sorted(f[:-4] for f in os.listdir(os.path.join(src, "spec")) if f.endswith(".txt"))
    cache = {}
    for table in tables:
        cols = FIXED_COLUMNS.get(table) or columns(os.path.join(src, "spec", table + ".txt"))
        if cols is None:
            failures.append(f"spec/{table}.txt: first line does not list the columns ('# ...: a, b, c.')")
            continue
        for col in cols:
            entry = CONSUMERS.get((table, col))
            if entry is None:
                failures.append(f"spec/{table}.txt column '{col}': no consumer declared in {argv[0]}")
                continue
            gen_re, use_re, dirs = entry
            if not re.search(gen_re, generated):
                failures.append(f"spec/{table}.txt column '{col}': gen.py no longer emits /{gen_re}/")
            if dirs not in cache:
                cache[dirs] = read_tree(src, dirs)
            if not re.search(use_re, cache[dirs]):
                failures.append(f"spec/{table}.txt column '{col}': dead, nothing in {', '.join(dirs)} matches /{use_re}/")
    for line in failures:
        print(line, file=sys.stderr)
    print(f"{len(CONSUMERS)} columns checked, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
