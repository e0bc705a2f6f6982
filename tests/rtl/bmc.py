#!/usr/bin/env python3
"""Bounded model check of the trap unit's handshake (CTest rtl.bmc) and of the trap-decode register stage (rtl.bmc_decode).

Reads rtl/trimode_trap_unit.sv with its `ifdef FORMAL properties (immediate
assert/assume, docs/rtl.md) into yosys and asks the SAT solver for an input
sequence of --depth cycles, starting in reset, that violates an assertion under
the assumptions: every request answered within MaxLatency cycles, at most one
in flight, no answer without a request, the answer is the accepted request's
decision (a fault's: the core's cause and target), an instruction that is not
a SYSTEM word and executes in place answered on the next edge in every state
(the batched co-simulation check relies on it), a trap answered only after
its critical beats (epc, status), its frame written in the order epc, status,
cause, tval with its own values, the write buffer (cause, tval) drained within
MaxDrain cycles and before any later beat, an untaken interrupt query writing
nothing.

Every input is free in every cycle (request kind, words, modes, interrupt
lines, fault cause and target, request valid, the mode register's port ready
within its stall bound), so "no model
found" covers every behaviour of that length.

--mutants also checks that the properties are not vacuous: each of a few
broken sequencers (below) must fail.

--top trimode_trap_decode checks the registered outputs of the sweep's unit
instead (its `ifdef FORMAL block): valid_o and the outputs are the decision
of the word presented the cycle before, held while none is; with the formal
proof of the decision (prove.py) this covers the registered outputs too.

On failure prints the failing assertion(s) and the trace, one line per cycle.
"""
import argparse
import os
import re
import sys
import tempfile

import yosys_sat

# top -> name -> (old, new): broken designs the properties must catch.
UNIT_MUTANTS = {
    "answer_before_last_beat": (
        "assign last_beat   = front_beat && ((state_q == StSlot) || status_next_q);",
        "assign last_beat   = front_beat;"),
    "ready_while_busy": (
        "assign req_ready_o = (state_q == StIdle);",
        "assign req_ready_o = (state_q != StFrame);"),
    "trap_answered_without_frame": (
        "            if (needs_frame) begin",
        "            if (needs_frame && (cause_d != trimode_spec_pkg::CauseIllegalInsn)) begin"),
    "port_stall_not_waited": (
        "assign front_beat  = front_valid && !buf_valid && mr_ready_i;",
        "assign front_beat  = front_valid && !buf_valid;"),
    "frame_overtakes_buffer": (
        "assign front_beat  = front_valid && !buf_valid && mr_ready_i;",
        "assign front_beat  = front_valid && mr_ready_i;"),
    "buffer_loses_cause": (
        "if (state_q == StFrame) buf_left_q <= 2'd2;",
        "if (state_q == StFrame) buf_left_q <= 2'd1;"),
    "untaken_query_sequenced": (
        "assign needs_frame  = (action_d != trimode_spec_pkg::ActExec) && (!is_query || is_irq);",
        "assign needs_frame  = (action_d != trimode_spec_pkg::ActExec);"),
    "fault_cause_not_the_cores": (
        "assign cause_d  = is_fault ? req_fault_cause_i : dec_cause;",
        "assign cause_d  = dec_cause;"),
    # Every in-place instruction through a write slot: answered right, but late.
    "in_place_word_takes_a_slot": (
        "(is_exit || (is_csr_write && (kind_d != trimode_spec_pkg::KindAny)));",
        "(is_exit || !is_system || (is_csr_write && (kind_d != trimode_spec_pkg::KindAny)));"),
}
DECODE_MUTANTS = {
    "result_loads_every_cycle": (
        "    .load_i   (valid_i),", "    .load_i   (1'b1),"),
    "valid_o_not_registered": (
        "  assign valid_o = valid_q;", "  assign valid_o = valid_i;"),
    "valid_stuck_after_first_word": (
        "      valid_q <= valid_i;", "      valid_q <= valid_q | valid_i;"),
}
MUTANTS = {"trimode_trap_unit": UNIT_MUTANTS, "trimode_trap_decode": DECODE_MUTANTS}

DECODE_PORTS = ["rst_ni", "valid_i", "insn_i", "mode_i", "irq_pending_i", "irq_enable_i", "valid_o", "kind_o",
                "action_o", "target_o", "cause_o"]
PORTS = ["rst_ni", "req_valid_i", "req_ready_o", "req_op_i", "req_insn_i", "req_mode_i", "irq_pending_i", "irq_enable_i",
         "mr_valid_o", "mr_ready_i", "mr_field_o", "rsp_valid_o", "rsp_action_o", "rsp_target_o", "rsp_cause_o"]


def run_bmc(a, unit, depth, tmp):
    ys = os.path.join(tmp, "bmc.ys")
    log = os.path.join(tmp, "bmc.log")
    with open(ys, "w") as f:
        f.write("\n".join([
            f"read_verilog -formal -sv {a.pkg} {a.decide} {a.result} {unit}",
            f"prep -top {a.top}",
            "async2sync",
            "flatten",
            "opt -fast",
            f"sat -seq {depth} -prove-asserts -set-assumes -set-init-zero -show-ports {a.top}", ""]))
    return yosys_sat.run(a.yosys, ys, log, a.timeout)  # (yosys missing or too slow: "error", exit 2)


def trace(text, ports):
    """The counterexample as one line per cycle."""
    PORTS = ports
    steps = {}
    for m in re.finditer(r"^\s+(\d+)\s+\\(\w+)\s+(-?\d+)\s+([0-9a-fx]+)\s", text, re.M):
        steps.setdefault(int(m.group(1)), {})[m.group(2)] = m.group(4)
    lines = ["  cycle " + " ".join(PORTS)]
    for t in sorted(steps):
        lines.append(f"  {t:5} " + " ".join(steps[t].get(p, "?").rjust(len(p)) for p in PORTS))
    return "\n".join(lines)


def failing_asserts(a, unit_text, depth, tmp):
    """Each assertion checked alone: the ones that fail."""
    lines = unit_text.split("\n")
    idx = [i for i, l in enumerate(lines) if re.search(r"\bassert \(", l)]
    failing = []
    for k in idx:
        variant = [l if (i == k or i not in idx) else l.replace("assert (", "assume (1'b1 || ")
                   for i, l in enumerate(lines)]
        path = os.path.join(tmp, f"only_{k}.sv")
        with open(path, "w") as f:
            f.write("\n".join(variant))
        if run_bmc(a, path, depth, tmp)[0] == "fails":
            failing.append(f"line {k + 1}: {lines[k].strip()}")
    return failing


def check(a, unit_text, tmp, name):
    path = os.path.join(tmp, f"{name}.sv")
    with open(path, "w") as f:
        f.write(unit_text)
    return run_bmc(a, path, a.depth, tmp)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--yosys", default="yosys")
    ap.add_argument("--pkg", required=True)
    ap.add_argument("--decide", required=True, help="rtl/trimode_trap_decide.sv")
    ap.add_argument("--result", required=True, help="rtl/trimode_trap_result.sv")
    ap.add_argument("--unit", required=True, help="rtl/trimode_trap_unit.sv (or the --top's file)")
    ap.add_argument("--top", default="trimode_trap_unit", choices=sorted(MUTANTS))
    ap.add_argument("--depth", type=int, default=24, help="cycles from reset")
    ap.add_argument("--mutants", action="store_true", help="also require every mutant to fail")
    ap.add_argument("--timeout", type=int, default=600)
    a = ap.parse_args()
    with open(a.unit) as f:
        unit = f.read()
    ports = PORTS if a.top == "trimode_trap_unit" else DECODE_PORTS
    what = ("trap unit handshake properties" if a.top == "trimode_trap_unit"
            else "trap-decode register stage (outputs = the previous word's decision)")
    with tempfile.TemporaryDirectory() as tmp:
        status, text = check(a, unit, tmp, "unit")
        if status == "error":
            print(f"FAILURE: yosys could not run the check\n{text}")
            return 2
        if status == "fails":
            print(f"FAILURE: a property of {a.top} fails within {a.depth} cycles of reset")
            for f in failing_asserts(a, unit, a.depth, tmp):
                print(f"  {f}")
            print(trace(text, ports))
            return 1
        print(f"HOLDS: {what}, every input sequence of {a.depth} cycles from reset")
        if not a.mutants:
            return 0
        escaped = []
        for name, (old, new) in MUTANTS[a.top].items():
            if unit.count(old) != 1:
                print(f"FAILURE: mutant {name} does not apply (its text occurs {unit.count(old)} times)")
                return 1
            status, text = check(a, unit.replace(old, new), tmp, name)
            if status == "fails":
                cycles = len(trace(text, ports).splitlines()) - 1
                print(f"mutant {name}: caught (counterexample of {cycles} cycles from reset)")
            else:
                print(f"mutant {name}: NOT caught ({status})")
                escaped.append(name)
        if escaped:
            print(f"FAILURE: mutants not caught: {', '.join(escaped)}")
            return 1
        print("PASS")
        return 0


if __name__ == "__main__":
    sys.exit(main())
