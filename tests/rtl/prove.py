#!/usr/bin/env python3
"""Formal proof: the hand-written trap decision RTL equals the spec table (CTest rtl.proof).

Builds a miter of the generated table-driven reference (trimode_ref_decide, from
spec/gen.py) against the RTL's combinational decision (trimode_trap_decide) and
asks yosys's SAT solver whether any input makes their outputs differ. The
inputs are free: all 2^32 words x all 4 values of mode_i x all 16
interrupt-pending/enable states, so "no model found" is a proof for every input.

Prints "PROVED ..." and exits 0, or prints the counterexample (word, the table
row it matches, mode, interrupt state, expected against got) and exits 1.
Exit 2 when yosys could not run the proof (a parse error, say): that is neither
a proof nor a counterexample.

Usage (the build passes these; see tests/rtl/CMakeLists.txt):
  prove.py --yosys yosys --pkg PKG.sv --ref REF.v --rtl trimode_trap_decide.sv [--spec spec/]
"""
import argparse
import os
import re
import sys
import tempfile
import time

import yosys_sat

MODES = {0: "U", 1: "G", 2: "V", 3: "3 (unused encoding)"}
ACTIONS = {0: "exec", 1: "trap", 2: "illegal", 3: "?"}
KINDS = {0: "0 (none)", 1: "1 (sensitive)", 2: "2 (priv)", 3: "3 (any)"}
PORTS = ("kind_o", "action_o", "target_o", "cause_o")


def miter_script(reads, gold, gate):
    """A yosys script proving modules gold and gate equal for every input (after `reads`)."""
    return "\n".join(reads + [
        "proc",
        "opt_clean",
        f"miter -equiv -flatten -make_outputs {gold} {gate} miter",
        "hierarchy -top miter",
        "flatten",
        "opt -fast",
        "sat -verify -prove trigger 0 -show-inputs -show-outputs miter",
        ""])


def script(a, rtl):
    return miter_script([f"read_verilog -sv {a.pkg} {' '.join(rtl)}", f"read_verilog {a.ref}"],
                        "trimode_ref_decide", "trimode_trap_decide")


def table_values(log):
    """The signal table yosys prints with a model: name -> int."""
    values = {}
    for m in re.finditer(r"^\s+\\(\w+)\s+(-?\d+)\s+[0-9a-fx]+\s+[01x]+\s*$", log, re.M):
        values[m.group(1)] = int(m.group(2)) & 0xffffffff  # yosys prints 32-bit values signed
    return values


def row_names(spec_dir, insn):
    """Names of the spec rows the word matches (the table's rows never overlap)."""
    if not spec_dir:
        return None
    sys.path.insert(0, spec_dir)
    import gen  # spec/gen.py: the one parser of the tables
    causes = gen.load_causes(os.path.join(spec_dir, "causes.txt"))
    csrs = gen.load_csrs(os.path.join(spec_dir, "csrs.txt"))
    rows = gen.load_opcodes(os.path.join(spec_dir, "opcodes.txt"), csrs, {c["name"]: c for c in causes})
    return [r["name"] for r in rows if insn & r["mask"] == r["match"]]


def decision(v, side, cause_names):
    cause = v[f"{side}_cause_o"]
    name = cause_names.get(cause, "unknown") if (v[f"{side}_action_o"] != 0 or cause) else "none"
    return (f"kind {KINDS[v[f'{side}_kind_o']]} {ACTIONS[v[f'{side}_action_o']]} -> "
            f"{MODES[v[f'{side}_target_o']].split()[0]} cause 0x{cause:x} ({name})")


def cause_names_of(spec_dir):
    names = {}
    if spec_dir:
        with open(os.path.join(spec_dir, "causes.txt")) as f:
            for line in f:
                p = line.split("#", 1)[0].split()
                if len(p) >= 2:
                    names[int(p[0], 0)] = p[1]
    return names


def counterexample(v, spec_dir, gold="table, trimode_ref_decide", gate="RTL, trimode_trap_decide"):
    insn = v["in_insn_i"]
    pend, en = v["in_irq_pending_i"], v["in_irq_enable_i"]
    rows = row_names(spec_dir, insn)
    where = "" if rows is None else (f" (row {', '.join(rows)})" if rows else " (in no row of the table)")
    diff = [p for p in PORTS if v[f"gold_{p}"] != v[f"gate_{p}"]]
    names = cause_names_of(spec_dir)
    return "\n".join([
        "counterexample:",
        f"  word      0x{insn:08x}{where}",
        f"            opcode 0x{insn & 0x7f:02x} rd {insn >> 7 & 31} funct3 {insn >> 12 & 7} rs1 {insn >> 15 & 31} "
        f"rs2 {insn >> 20 & 31} funct7 0x{insn >> 25:02x} funct12 0x{insn >> 20:03x}",
        f"  mode      {v['in_mode_i']} = {MODES[v['in_mode_i']]}",
        f"  interrupt pending timer={pend & 1} virtual={pend >> 1 & 1}, enable v_ie={en & 1} g_ie={en >> 1 & 1}",
        f"  expected  {decision(v, 'gold', names)}   ({gold})",
        f"  got       {decision(v, 'gate', names)}   ({gate})",
        f"  differs   {', '.join(diff)}"])


def prove(a, rtl, text_of_script=None, labels=()):
    """Runs the proof; returns (status, text): status 'proved', 'counterexample' or 'error'.
    text_of_script(a, rtl) is the yosys script (default: script above); labels:
    counterexample()'s gold and gate names."""
    with tempfile.TemporaryDirectory() as tmp:
        ys = os.path.join(tmp, "prove.ys")
        log = os.path.join(tmp, "prove.log")
        with open(ys, "w") as f:
            f.write((text_of_script or script)(a, rtl))
        status, text = yosys_sat.run(a.yosys, ys, log, a.timeout)  # (yosys missing or too slow: "error", exit 2)
    if status == "holds":
        m = re.search(r"Solving problem with (\d+) variables and (\d+) clauses", text)
        return "proved", f"{m.group(1)} variables, {m.group(2)} clauses" if m else ""
    if status == "fails":
        return "counterexample", counterexample(table_values(text), a.spec, *labels)
    return "error", text


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--yosys", default="yosys")
    ap.add_argument("--pkg", required=True, help="generated trimode_spec_pkg.sv")
    ap.add_argument("--ref", required=True, help="generated trimode_ref_decide.v")
    ap.add_argument("--rtl", required=True, action="append", help="RTL file(s) defining trimode_trap_decide")
    ap.add_argument("--spec", help="spec/ directory, to name the table row of a counterexample")
    ap.add_argument("--timeout", type=int, default=600)
    a = ap.parse_args()
    start = time.time()
    status, text = prove(a, a.rtl)
    took = time.time() - start
    if status == "proved":
        print(f"PROVED: trimode_trap_decide == table for all 2^32 words x 4 modes x 16 interrupt states "
              f"({text}, {took:.1f} s)")
        return 0
    if status == "counterexample":
        print(f"FAILURE: the RTL differs from the table ({took:.1f} s)\n{text}")
        return 1
    print(f"FAILURE: yosys could not run the proof\n{text}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
