#!/usr/bin/env python3
"""Bit-sliced decision lanes from a gate netlist of the trap decision RTL.

Synthesizes rtl/trimode_trap_decide.sv (or a mutant of it) with yosys into
two-input gates (synth -flatten; abc -g AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX)
and writes the netlist as a bit-sliced SystemVerilog module,
trimode_cosim_slices: every 1-bit net of the netlist becomes a W-bit vector,
bit k of every vector belongs to lane k, and every gate becomes the same
bitwise expression on W bits. So one evaluation decides W requests, one per
lane, with one W-bit operation per gate (W = 64: one host instruction or two
per gate for 64 requests). Only bitwise operators are emitted (a MUX is
written (s & b) | (~s & a)), so lanes never mix: lane k of the module is the
netlist, whatever W is.

Ports (slice b of a port = bit b of each lane's input or output, at
[b*W +: W] of the flat port):
  insn_s[31:0]   the instruction word's bits
  ctl_s[5:0]     {irq_enable_i[1:0], irq_pending_i[1:0], mode_i[1:0]}
  dec_s[5:0]     {target_o[1:0], action_o[1:0], kind_o[1:0]}
  cause_s[31:0]  cause_o's bits

Soundness: tests/rtl/prove_slices.py proves this module with W = 1 equal to
trimode_trap_decide for every input (CTest rtl.proof_slices), so the text
Verilated for the co-simulation is the RTL's decision, lane by lane.

Usage (the build runs it; models/classifier/CMakeLists.txt):
  slice_lanes.py --yosys yosys --pkg PKG.sv --rtl trimode_trap_decide.sv --out trimode_cosim_slices.sv
Exits 1 with a one-line error when yosys fails or the netlist has an
unexpected port or cell.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

TOP = "trimode_trap_decide"
MODULE = "trimode_cosim_slices"
GATES = "AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX"

# The RTL's ports -> (sliced port, first slice): bit i of the RTL port is slice first + i.
INPUTS = {"insn_i": ("insn_s", 0, 32), "mode_i": ("ctl_s", 0, 2),
          "irq_pending_i": ("ctl_s", 2, 2), "irq_enable_i": ("ctl_s", 4, 2)}
OUTPUTS = {"kind_o": ("dec_s", 0, 2), "action_o": ("dec_s", 2, 2),
           "target_o": ("dec_s", 4, 2), "cause_o": ("cause_s", 0, 32)}

# yosys's internal gate cells -> a bitwise expression of their inputs.
CELLS = {
    "$_BUF_": "{A}",
    "$_NOT_": "~{A}",
    "$_AND_": "{A} & {B}",
    "$_NAND_": "~({A} & {B})",
    "$_OR_": "{A} | {B}",
    "$_NOR_": "~({A} | {B})",
    "$_XOR_": "{A} ^ {B}",
    "$_XNOR_": "~({A} ^ {B})",
    "$_ANDNOT_": "{A} & ~{B}",
    "$_ORNOT_": "{A} | ~{B}",
    "$_MUX_": "({S} & {B}) | (~{S} & {A})",  # Y = S ? B : A, lane by lane
}


class Error(Exception):
    pass


def synthesize(a):
    """The RTL's gate netlist as yosys JSON (dict)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "netlist.json")
        script = (f"read_verilog -sv {a.pkg} {a.rtl}; synth -flatten -top {TOP}; "
                  f"abc -g {GATES}; opt_clean; write_json {out}")
        p = subprocess.run([a.yosys, "-q", "-p", script], capture_output=True, text=True)
        if p.returncode != 0 or not os.path.exists(out):
            err = next((l for l in (p.stdout + p.stderr).splitlines() if "ERROR" in l), p.stderr.strip())
            raise Error(f"yosys failed on {a.rtl}: {err or 'no message'}")
        with open(out) as f:
            return json.load(f)


def slice_of(port, b):
    """Slice b of a flat port (yosys 0.23 reads no multi-dimensional packed ports)."""
    return f"{port}[{b}*W +: W]"


def sliced(netlist):
    """The lines of the bit-sliced module for the netlist; (lines, gate count)."""
    mod = netlist["modules"].get(TOP)
    if mod is None:
        raise Error(f"the netlist has no module {TOP}")
    ports = mod["ports"]
    if set(ports) != set(INPUTS) | set(OUTPUTS):
        raise Error(f"{TOP} has ports {sorted(ports)}, expected {sorted(set(INPUTS) | set(OUTPUTS))}")
    name = {"0": "'0", "1": "'1"}  # net -> its expression
    for port, (sl, first, width) in INPUTS.items():
        bits = ports[port]["bits"]
        if ports[port]["direction"] != "input" or len(bits) != width:
            raise Error(f"{TOP}.{port}: expected a {width}-bit input")
        for i, net in enumerate(bits):
            name[net] = slice_of(sl, first + i)
    inputs = set(name) - {"0", "1"}

    cells = list(mod["cells"].values())
    for c in cells:
        if c["type"] not in CELLS:
            raise Error(f"unexpected cell {c['type']} in the netlist (expected gates {GATES})")
        name[c["connections"]["Y"][0]] = f"n{c['connections']['Y'][0]}"

    def expr(net):
        if net not in name:
            raise Error(f"net {net} is driven by nothing (x in the netlist?)")
        return name[net]

    # Gates in dependency order (Verilator does not need it; a reader does, and
    # a loop would be an error).
    done = inputs | {"0", "1"}
    order, pending = [], cells
    while pending:
        ready = [c for c in pending if all(v[0] in done for p, v in c["connections"].items() if p != "Y")]
        if not ready:
            raise Error("the netlist has a combinational loop")
        for c in ready:
            done.add(c["connections"]["Y"][0])
        order += ready
        pending = [c for c in pending if c not in ready]

    body = []
    used = set()
    for c in order:
        conn = {p: expr(v[0]) for p, v in c["connections"].items() if p != "Y"}
        used.update(v[0] for p, v in c["connections"].items() if p != "Y")
        y = name[c["connections"]["Y"][0]]
        body.append(f"  assign {y} = {CELLS[c['type']].format(**conn)};")
    outs = []
    for port, (sl, first, width) in OUTPUTS.items():
        bits = ports[port]["bits"]
        if ports[port]["direction"] != "output" or len(bits) != width:
            raise Error(f"{TOP}.{port}: expected a {width}-bit output")
        for i, net in enumerate(bits):
            used.add(net)
            outs.append(f"  assign {slice_of(sl, first + i)} = {expr(net)};")
    unused = sorted((name[n] for n in inputs - used), key=lambda s: (s.split("[")[0], int(s.split("[")[1].split("*")[0])))
    decls = [f"  logic [W-1:0] {name[c['connections']['Y'][0]]};" for c in order]
    sink = []
    if unused:
        sink = ["", "  // Inputs the decision does not depend on.", "  logic [W-1:0] unused;",
                f"  assign unused = {' ^ '.join(unused)};"]
    return decls + [""] + body + [""] + outs + sink, len(order)


def emit(a, lines, gates):
    head = f"""// GENERATED by models/classifier/slice_lanes.py from {os.path.basename(a.rtl)}: do not edit.
//
// The trap decision (trimode_trap_decide) as a yosys gate netlist ({gates} gates),
// bit-sliced: bit k of every vector is lane k, every gate a bitwise operation
// on W lanes at once (models/classifier/slice_lanes.py says how and why).
// rtl.proof_slices proves this module with W = 1 equal to trimode_trap_decide.
// Each port is flat, slice b at [b*W +: W] (the layout of a [n][W] array):
//   insn_s[b]  bit b of each lane's instruction word
//   ctl_s      {{irq_enable[1:0], irq_pending[1:0], mode[1:0]}}
//   dec_s      {{target[1:0], action[1:0], kind[1:0]}}
//   cause_s[b] bit b of each lane's cause
module {MODULE} #(
  parameter int unsigned W = 64
) (
  input  logic [32*W-1:0] insn_s,
  input  logic [6*W-1:0]  ctl_s,
  output logic [6*W-1:0]  dec_s,
  output logic [32*W-1:0] cause_s
);

"""
    text = head + "\n".join(lines) + "\n\nendmodule\n"
    if os.path.exists(a.out):
        with open(a.out) as f:
            if f.read() == text:
                return  # unchanged: keep its time stamp (no needless re-Verilating)
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, a.out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--yosys", default="yosys")
    ap.add_argument("--pkg", required=True, help="generated trimode_spec_pkg.sv")
    ap.add_argument("--rtl", required=True, help="the RTL defining trimode_trap_decide")
    ap.add_argument("--out", required=True, help="the bit-sliced module to write")
    a = ap.parse_args()
    try:
        lines, gates = sliced(synthesize(a))
        emit(a, lines, gates)
    except (Error, OSError, ValueError) as e:
        print(f"slice_lanes.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
