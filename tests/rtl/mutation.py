#!/usr/bin/env python3
"""Mutation check of the trap-decode RTL's checks (CTests rtl.mutation, rtl.mutation_proof).

Makes copies of the RTL (rtl/trimode_trap_decide.sv, trimode_trap_decode.sv)
with one injected bug each and requires a check to catch every one:

  --check proof  the formal proof (prove.py) must fail on every mutant and print
                 its counterexample (word, mode, interrupt state, expected/got).
  --check sweep  each mutant is verilated into a scratch directory with the sweep
                 harness and a small driver (mutant_main.cpp: directed set,
                 field pairs x 4 mode values, 10^6 random); the sweep
                 must find a mismatch in every mutant marked for it.

The unmutated RTL goes through the same flow first and must pass, so a "caught"
mutant is caught by the check, not by the flow.

Each mutant is a list of (old, new) text replacements; old must occur exactly
once in all the RTL files together, so a mutant that no longer applies fails
loudly instead of silently testing the original.

Prints "mutant <name>: caught ..." per mutant, then PASS or FAILURE.

  --emit NAME --out DIR  writes mutant NAME's RTL files to DIR and exits (the
                 co-simulation mutant build, tests/rtl/CMakeLists.txt).
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import time

import prove

# name -> (kind of bug, sweep must catch it, [(old, new), ...]). Every mutant must
# fail the formal proof; the sweep driver (directed + pairs + random) must catch
# the ones marked True. Those marked False are for the proof and the platform:
# one_jal_word_illegal_in_g is a single word no structured set aims at (only the
# proof, or the --all shard of the right day, finds it); illegal_beats_timer_irq
# changes what the lanes are not asked (interrupts), which the proof and the
# co-simulated scenario catch (rtl.cosim_mutant_irq).
P = "trimode_spec_pkg::"
MUTANTS = {
    # -- wrong kind for an instruction class
    "time_csr_kind_any": ("wrong kind", True, [(
        f"{P}CsrTimeh: begin\n        csr_kind = {P}KindSensitive;",
        f"{P}CsrTimeh: begin\n        csr_kind = {P}KindAny;")]),
    "wfi_kind_priv": ("wrong kind", True, [(
        f"{P}Funct12Wfi: begin\n                  insn_kind = {P}KindSensitive;",
        f"{P}Funct12Wfi: begin\n                  insn_kind = {P}KindPriv;")]),
    "gcsr_kind_sensitive": ("wrong kind", True, [(
        f"{P}CsrGbound: begin\n        csr_kind = {P}KindPriv;",
        f"{P}CsrGbound: begin\n        csr_kind = {P}KindSensitive;")]),
    # -- a missing mode dependence
    "ecall_legal_above_u": ("missing mode dependence", True, [(
        "insn_illegal   = !mode_is_u;", "insn_illegal   = 1'b0;")]),
    "exit_kind_ignores_mode": ("missing mode dependence", True, [(
        f"insn_kind    = mode_is_v ? {P}KindSensitive : {P}KindPriv;", f"insn_kind    = {P}KindPriv;")]),
    "virtual_irq_ignores_g_ie": ("missing mode dependence", True, [(
        f"((mode_i == {P}ModeG) && g_ie)", f"(mode_i == {P}ModeG)")]),
    "timer_irq_ignores_v_ie": ("missing mode dependence", True, [(
        "(!mode_is_v || v_ie)", "(1'b1)")]),
    "illegal_owner_always_v": ("missing mode dependence", True, [(
        f"      action_o = {P}ActIllegal;\n      target_o = mode_is_u ? {P}ModeG : {P}ModeV;",
        f"      action_o = {P}ActIllegal;\n      target_o = {P}ModeV;")]),
    # -- a wrong cause
    "vcall_g_cause_vcall_u": ("wrong cause", True, [(
        f"special_cause  = mode_is_u ? {P}CauseVcallU : {P}CauseVcallG;", f"special_cause  = {P}CauseVcallU;")]),
    "priv_cause_sensitive": ("wrong cause", True, [(
        f"cause_o  = {P}CausePrivInsn;", f"cause_o  = {P}CauseSensitiveInsn;")]),
    # -- an illegal encoding accepted
    "sub_sra_any_funct3": ("illegal accepted", True, [(
        "Funct7Alt:    insn_illegal = (funct3 != 3'd0) && (funct3 != 3'd5);",
        "Funct7Alt:    insn_illegal = 1'b0;")]),
    "ro_csr_write_accepted": ("illegal accepted", True, [(
        "insn_illegal = !csr_exists || (csr_ro && csr_write);", "insn_illegal = !csr_exists;")]),
    "load_funct3_7_accepted": ("illegal accepted", True, [(
        "(funct3 == 3'd3) || (funct3 == 3'd6) || (funct3 == 3'd7)", "(funct3 == 3'd3) || (funct3 == 3'd6)")]),
    "priv_rd_ignored": ("illegal accepted", True, [(
        "if ((rd != 5'd0) || (rs1 != 5'd0)) begin", "if (rs1 != 5'd0) begin")]),
    # -- an off-by-one field decode
    "rs1_field_off_by_one": ("off-by-one field", True, [(
        "assign rs1     = insn_i[19:15];", "assign rs1     = insn_i[20:16];")]),
    "funct7_field_off_by_one": ("off-by-one field", True, [(
        "assign funct7  = insn_i[31:25];", "assign funct7  = insn_i[30:24];")]),
    "store_funct3_bound_off_by_one": ("off-by-one field", True, [(
        "insn_illegal = (funct3 > 3'd2);", "insn_illegal = (funct3 > 3'd3);")]),
    # -- interrupt pins
    "irq_enable_bits_swapped": ("pin order", True, [
        ("assign v_ie                = irq_enable_i[0];", "assign v_ie                = irq_enable_i[1];"),
        ("assign g_ie                = irq_enable_i[1];", "assign g_ie                = irq_enable_i[0];")]),
    # -- the escapes of issue 10: bugs confined to a few words or to mode 3
    # The privileged-field check as a sum: wraps at 32 (rd = 1, rs1 = 31 passes).
    "priv_fields_sum_wraps": ("few words", True, [(
        "if ((rd != 5'd0) || (rs1 != 5'd0)) begin", "if ((rd + rs1) != 5'd0) begin")]),
    # A hidden gate: lui x0, 0xDEADB from U traps to V like a hypercall.
    "lui_deadb_gate_from_u": ("few words", True, [(
        f"{P}OpcJal: begin\n        insn_kind = {P}KindAny;",
        f"{P}OpcJal: begin\n        insn_kind = {P}KindAny;\n"
        f"        insn_special   = (insn_i == 32'hdeadb037) && mode_is_u;\n"
        f"        special_target = {P}ModeV;\n"
        f"        special_cause  = {P}CauseVcallU;")]),
    # One jal word (jal ra, +0x12344) illegal in G.
    "one_jal_word_illegal_in_g": ("few words", False, [(
        f"{P}OpcJal: begin\n        insn_kind = {P}KindAny;",
        f"{P}OpcJal: begin\n        insn_kind = {P}KindAny;\n"
        f"        insn_illegal = (insn_i == 32'h344120ef) && (mode_i == {P}ModeG);")]),
    # fence.tso (fm = 1000) decoded only with pred = succ = rw: other sub-fields illegal.
    "fence_fm_pred_succ": ("few words", True, [(
        "insn_illegal = (funct3 > 3'd1);\n      end",
        "insn_illegal = (funct3 > 3'd1) ||\n"
        "                       ((funct3 == 3'd0) && (insn_i[31:28] == 4'b1000) && (insn_i[27:20] != 8'h33));\n"
        "      end")]),
    # -- interrupt priority (issue 10 item 2): an illegal word beats a pending
    # timer interrupt. The co-simulated default scenario catches it too (CTest
    # rtl.cosim_mutant_irq: the core asks for interrupts through the RTL).
    "illegal_beats_timer_irq": ("interrupt priority", False, [(
        "    if (irq_timer_pending && (!mode_is_v || v_ie)) begin",
        "    if (insn_illegal) begin\n"
        f"      kind_o   = {P}KindNone;\n"
        f"      action_o = {P}ActIllegal;\n"
        f"      target_o = mode_is_u ? {P}ModeG : {P}ModeV;\n"
        f"      cause_o  = {P}CauseIllegalInsn;\n"
        "    end else if (irq_timer_pending && (!mode_is_v || v_ie)) begin")]),
    # The unused mode encoding 2'b11 decided like U instead of V.
    "mode3_as_u": ("mode 3", True, [
        (f"assign mode_is_u = (mode_i == {P}ModeU);",
         f"assign mode_is_u = (mode_i == {P}ModeU) || (mode_i == 2'b11);"),
        (f"assign mode_is_v = (mode_i != {P}ModeU) && (mode_i != {P}ModeG);",
         f"assign mode_is_v = (mode_i == {P}ModeV);")]),
}


class StaleMutant(Exception):
    """A mutant's patch no longer finds its text once in the RTL (the RTL was edited there)."""


def mutate(files, patches, name):
    """files: {path: text}; returns a copy with the patches applied (StaleMutant if one does not apply)."""
    files = dict(files)
    for old, new in patches:
        hits = [p for p, t in files.items() for _ in range(t.count(old))]
        if len(hits) != 1:
            raise StaleMutant(f"mutant {name} no longer applies: its patch text occurs {len(hits)} times in the RTL "
                              f"(want 1): {old!r}. The RTL changed where it patches: rewrite the mutant in "
                              f"tests/rtl/mutation.py for the new text, the same fault (docs/rtl-change.md, step 7)")
        files[hits[0]] = files[hits[0]].replace(old, new)
    return files


def write_rtl(d, files):
    """Writes the RTL files under d (same base names); returns their paths in order."""
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    paths = []
    for path, text in files.items():
        out = os.path.join(d, os.path.basename(path))
        with open(out, "w") as f:
            f.write(text)
        paths.append(out)
    return paths


def build(name, files, a):
    """Verilate and compile one model; returns the executable path."""
    d = os.path.join(a.workdir, name)
    rtl = write_rtl(d, files)
    obj = os.path.join(d, "obj")
    subprocess.run([a.verilator, "--cc", "-O3", "--x-assign", "fast", "--x-initial", "fast", "--noassert",
                    "-GLanes=4", "--prefix", "Vmutant", "--top-module", "trimode_sweep_lanes", "--Mdir", obj,
                    a.waivers, a.pkg, *rtl, a.harness],
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


def check_sweep(a, texts, names, start):
    exes, failures = {}, []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        futures = {pool.submit(build, name, files, a): name for name, files in texts.items()}
        for fut in concurrent.futures.as_completed(futures):
            name = futures[fut]
            try:
                exes[name] = fut.result()
            except subprocess.CalledProcessError as e:
                failures.append(f"{name}: build failed: {' '.join(e.cmd[:3])} ...\n{e.stdout}{e.stderr}")
    if failures:
        for f in failures:
            print(f"FAILURE: {f}")
        return []
    print(f"built {len(exes)} models in {time.time() - start:.0f} s")

    rc, n, first = run(exes["original"])
    if rc != 0 or n != 0:
        print(f"FAILURE: the unmutated RTL does not pass through the mutation flow ({n} mismatches)\n  {first}")
        return None
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
    return escaped


def check_proof(a, texts, names):
    def one(name):
        rtl = write_rtl(os.path.join(a.workdir, "proof", name), texts[name])
        decide = [p for p in rtl if os.path.basename(p) == "trimode_trap_decide.sv"]
        return prove.prove(a, decide)

    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        results = dict(zip(["original"] + names, pool.map(one, ["original"] + names)))
    status, text = results["original"]
    if status != "proved":
        print(f"FAILURE: the unmutated RTL is not proved through the mutation flow ({status})\n{text}")
        return None
    print(f"original: proved ({text})")
    escaped = []
    for name in names:
        status, text = results[name]
        if status == "counterexample":
            print(f"mutant {name}: caught by the proof  [{MUTANTS[name][0]}]")
            print("    " + text.replace("\n", "\n    "))
        else:
            print(f"mutant {name}: NOT caught ({status})  [{MUTANTS[name][0]}]")
            if status == "error":
                print("    " + text.replace("\n", "\n    "))
            escaped.append(name)
    return escaped


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--check", choices=("sweep", "proof"), default="sweep")
    ap.add_argument("--rtl", required=True, action="append", help="RTL files (every one of rtl/)")
    ap.add_argument("--pkg", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--only", help="comma-separated mutant names")
    ap.add_argument("--emit", help="write this mutant's RTL to --out and exit")
    ap.add_argument("--out")
    # --check sweep
    ap.add_argument("--verilator")
    ap.add_argument("--verilator-root")
    ap.add_argument("--cxx")
    ap.add_argument("--waivers")
    ap.add_argument("--harness")
    ap.add_argument("--adapter")
    ap.add_argument("--driver")
    ap.add_argument("--include", action="append", default=[])
    ap.add_argument("--lib", action="append", default=[])
    # --check proof
    ap.add_argument("--yosys", default="yosys")
    ap.add_argument("--ref", help="generated trimode_ref_decide.v")
    ap.add_argument("--spec", help="spec/ directory, to name counterexample rows")
    ap.add_argument("--timeout", type=int, default=600)
    a = ap.parse_args()

    start = time.time()
    original = {}
    for path in a.rtl:
        with open(path) as f:
            original[path] = f.read()
    try:
        return check_mutants(a, original, start)
    except StaleMutant as e:
        print(f"FAILURE: {e}")
        return 1


def check_mutants(a, original, start):
    if a.emit:
        if a.emit not in MUTANTS or not a.out:
            print(f"mutation.py: error: --emit needs a mutant name ({', '.join(MUTANTS)}) and --out DIR", file=sys.stderr)
            return 2
        os.makedirs(a.out, exist_ok=True)
        for path, text in mutate(original, MUTANTS[a.emit][2], a.emit).items():
            with open(os.path.join(a.out, os.path.basename(path)), "w") as f:
                f.write(text)
        return 0
    names = a.only.split(",") if a.only else [n for n, m in MUTANTS.items() if a.check == "proof" or m[1]]
    unknown = [n for n in names if n not in MUTANTS]
    proof_only = [n for n in names if n in MUTANTS and a.check == "sweep" and not MUTANTS[n][1]]
    if unknown or proof_only:  # (--only once swept a proof-only mutant and called it not caught)
        why = f"unknown mutants: {', '.join(unknown)}" if unknown else \
            f"the sweep is not meant to catch {', '.join(proof_only)} (the proof's only: --check proof)"
        print(f"mutation.py: error: --only: {why}", file=sys.stderr)
        return 2
    texts = {"original": original}
    for name in names:
        texts[name] = mutate(original, MUTANTS[name][2], name)

    escaped = check_proof(a, texts, names) if a.check == "proof" else check_sweep(a, texts, names, start)
    if escaped is None:
        return 1
    print(f"{len(names) - len(escaped)}/{len(names)} mutants caught by the {a.check} in {time.time() - start:.0f} s")
    if escaped:
        print(f"FAILURE: mutants not caught: {', '.join(escaped)}")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
