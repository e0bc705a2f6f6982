#!/usr/bin/env python3
"""Mutation check of the trap-decode sweep (CTest rtl.mutation).

Builds copies of rtl/trimode_trap_decode.sv with one injected bug each, verilates
each into a scratch directory with the sweep harness and a small driver
(mutant_main.cpp: directed set + 10^6 random), and requires the sweep to find a
mismatch in every mutant. The unmutated RTL goes through the same flow first
and must pass, so a "caught" mutant is caught by the sweep, not by the flow.

Each mutant is a list of (old, new) text replacements; old must occur exactly
once in the RTL, so a mutant that no longer applies fails loudly instead of
silently testing the original.

Prints "mutant <name>: caught (N mismatches)" per mutant, then PASS or FAILURE.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import time

# name -> (kind of bug, [(old, new), ...])
MUTANTS = {
    # -- wrong kind for an instruction class
    "time_csr_kind_any": ("wrong kind", [(
        "CsrTime, CsrTimeh: begin\n        csr_kind = KindSensitive;",
        "CsrTime, CsrTimeh: begin\n        csr_kind = KindAny;")]),
    "wfi_kind_priv": ("wrong kind", [(
        "Funct12Wfi: begin\n                  insn_kind = KindSensitive;",
        "Funct12Wfi: begin\n                  insn_kind = KindPriv;")]),
    "gcsr_kind_sensitive": ("wrong kind", [(
        "CsrGpid, CsrGbase, CsrGbound: begin\n        csr_kind = KindPriv;",
        "CsrGpid, CsrGbase, CsrGbound: begin\n        csr_kind = KindSensitive;")]),
    # -- a missing mode dependence
    "ecall_legal_above_u": ("missing mode dependence", [(
        "insn_illegal   = !mode_is_u;", "insn_illegal   = 1'b0;")]),
    "exit_kind_ignores_mode": ("missing mode dependence", [(
        "insn_kind    = mode_is_v ? KindSensitive : KindPriv;", "insn_kind    = KindPriv;")]),
    "virtual_irq_ignores_g_ie": ("missing mode dependence", [(
        "((mode_i == ModeG) && g_ie)", "(mode_i == ModeG)")]),
    "timer_irq_ignores_v_ie": ("missing mode dependence", [(
        "(!mode_is_v || v_ie)", "(1'b1)")]),
    "illegal_owner_always_v": ("missing mode dependence", [(
        "      action_d = ActIllegal;\n      target_d = mode_is_u ? ModeG : ModeV;",
        "      action_d = ActIllegal;\n      target_d = ModeV;")]),
    # -- a wrong cause
    "vcall_g_cause_vcall_u": ("wrong cause", [(
        "special_cause  = mode_is_u ? CauseVcallU : CauseVcallG;", "special_cause  = CauseVcallU;")]),
    "priv_cause_sensitive": ("wrong cause", [(
        "cause_d  = CausePrivInsn;", "cause_d  = CauseSensitiveInsn;")]),
    # -- an illegal encoding accepted
    "sub_sra_any_funct3": ("illegal accepted", [(
        "Funct7Alt:    insn_illegal = (funct3 != 3'd0) && (funct3 != 3'd5);",
        "Funct7Alt:    insn_illegal = 1'b0;")]),
    "ro_csr_write_accepted": ("illegal accepted", [(
        "insn_illegal = !csr_exists || (csr_ro && csr_write);", "insn_illegal = !csr_exists;")]),
    "load_funct3_7_accepted": ("illegal accepted", [(
        "(funct3 == 3'd3) || (funct3 == 3'd6) || (funct3 == 3'd7)", "(funct3 == 3'd3) || (funct3 == 3'd6)")]),
    "priv_rd_ignored": ("illegal accepted", [(
        "if ((rd != 5'd0) || (rs1 != 5'd0)) begin", "if (rs1 != 5'd0) begin")]),
    # -- an off-by-one field decode
    "rs1_field_off_by_one": ("off-by-one field", [(
        "assign rs1     = insn_i[19:15];", "assign rs1     = insn_i[20:16];")]),
    "funct7_field_off_by_one": ("off-by-one field", [(
        "assign funct7  = insn_i[31:25];", "assign funct7  = insn_i[30:24];")]),
    "store_funct3_bound_off_by_one": ("off-by-one field", [(
        "insn_illegal = (funct3 > 3'd2);", "insn_illegal = (funct3 > 3'd3);")]),
    # -- interrupt pins
    "irq_enable_bits_swapped": ("pin order", [
        ("assign v_ie                = irq_enable_i[0];", "assign v_ie                = irq_enable_i[1];"),
        ("assign g_ie                = irq_enable_i[1];", "assign g_ie                = irq_enable_i[0];")]),
}


def mutate(text, patches, name):
    for old, new in patches:
        n = text.count(old)
        if n != 1:
            raise RuntimeError(f"mutant {name}: patch text occurs {n} times in the RTL (want 1): {old!r}")
        text = text.replace(old, new)
    return text


def build(name, rtl_text, a):
    """Verilate and compile one model; returns the executable path."""
    d = os.path.join(a.workdir, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    sv = os.path.join(d, "trimode_trap_decode.sv")
    with open(sv, "w") as f:
        f.write(rtl_text)
    obj = os.path.join(d, "obj")
    subprocess.run([a.verilator, "--cc", "-O3", "--x-assign", "fast", "--x-initial", "fast", "--noassert",
                    "-GLanes=4", "--prefix", "Vmutant", "--top-module", "trimode_sweep_lanes", "--Mdir", obj,
                    a.waivers, a.pkg, sv, a.harness],
                   check=True, capture_output=True, text=True)
    # One translation unit for all generated files: most of their compile time
    # is parsing verilated.h once per file.
    generated = sorted(f for f in os.listdir(obj) if f.endswith(".cpp"))
    unity = os.path.join(d, "vmutant_all.cpp")
    with open(unity, "w") as f:
        f.writelines(f'#include "{os.path.join(obj, g)}"\n' for g in generated)
    exe = os.path.join(d, "mutant")
    defs = ["-DVM_COVERAGE=0", "-DVM_SC=0", "-DVM_TRACE=0", "-DVM_TRACE_FST=0", "-DVM_TRACE_VCD=0",
            "-DTRIMODE_SWEEP_TOP=Vmutant", '-DTRIMODE_SWEEP_TOP_H="Vmutant.h"']
    incs = [f"-I{i}" for i in a.include] + [f"-isystem{os.path.join(a.verilator_root, 'include')}",
                                            f"-isystem{os.path.join(a.verilator_root, 'include', 'vltstd')}",
                                            f"-isystem{obj}"]
    subprocess.run([a.cxx, "-std=c++17", "-O1", "-w", *defs, *incs, unity, a.adapter, a.driver,
                    *a.lib, "-pthread", "-o", exe],
                   check=True, capture_output=True, text=True)
    return exe


def run(exe):
    p = subprocess.run([exe], capture_output=True, text=True, timeout=300)
    m = re.search(r"mismatches (\d+)", p.stdout)
    if not m:
        raise RuntimeError(f"{exe}: no summary line:\n{p.stdout}{p.stderr}")
    first = next((l for l in p.stdout.splitlines() if l.startswith("FAILURE:")), "")
    return p.returncode, int(m.group(1)), first


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verilator", required=True)
    ap.add_argument("--verilator-root", required=True)
    ap.add_argument("--cxx", required=True)
    ap.add_argument("--rtl", required=True)
    ap.add_argument("--pkg", required=True)
    ap.add_argument("--waivers", required=True)
    ap.add_argument("--harness", required=True)
    ap.add_argument("--adapter", required=True)
    ap.add_argument("--driver", required=True)
    ap.add_argument("--include", action="append", default=[])
    ap.add_argument("--lib", action="append", default=[])
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--only", help="comma-separated mutant names")
    a = ap.parse_args()

    start = time.time()
    with open(a.rtl) as f:
        original = f.read()
    names = a.only.split(",") if a.only else list(MUTANTS)
    texts = {"original": original}
    for name in names:
        texts[name] = mutate(original, MUTANTS[name][1], name)

    exes, failures = {}, []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        futures = {pool.submit(build, name, text, a): name for name, text in texts.items()}
        for fut in concurrent.futures.as_completed(futures):
            name = futures[fut]
            try:
                exes[name] = fut.result()
            except subprocess.CalledProcessError as e:
                failures.append(f"{name}: build failed: {' '.join(e.cmd[:3])} ...\n{e.stdout}{e.stderr}")
    if failures:
        for f in failures:
            print(f"FAILURE: {f}")
        return 1
    print(f"built {len(exes)} models in {time.time() - start:.0f} s")

    rc, n, first = run(exes["original"])
    if rc != 0 or n != 0:
        print(f"FAILURE: the unmutated RTL does not pass through the mutation flow ({n} mismatches)\n  {first}")
        return 1
    print("original: passes (0 mismatches)")

    escaped = []
    for name in names:
        rc, n, first = run(exes[name])
        if n > 0 and rc == 1:
            print(f"mutant {name}: caught ({n} mismatches)  [{MUTANTS[name][0]}]")
            print(f"    first: {first.removeprefix('FAILURE: ')}")
        else:
            print(f"mutant {name}: NOT caught  [{MUTANTS[name][0]}]")
            escaped.append(name)
    print(f"{len(names) - len(escaped)}/{len(names)} mutants caught in {time.time() - start:.0f} s")
    if escaped:
        print(f"FAILURE: mutants not caught: {', '.join(escaped)}")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
