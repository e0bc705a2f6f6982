#!/usr/bin/env python3
"""CTest platform.trap_unit_waves: the trap unit's FST against docs/waves/trap_unit.gtkw.

usage: waves_check.py --fst2vcd fst2vcd --fst FILE --gtkw docs/waves/trap_unit.gtkw

Checks that every signal the save file names is in the FST (so the documented
view opens with nothing missing), and that the waveform shows what docs/rtl.md
says of modes_chain's ecall from U: accepted on a rising edge, its frame
written epc, cause, tval, status on the port, answered (trap to G, cause
ecall_u) 5 rising edges after the accepting one. Prints PASS or FAILURE lines.
"""
import argparse
import subprocess
import sys


def read_vcd(text):
    names, scope, changes, t = {}, [], [], 0
    for line in text.splitlines():
        if line.startswith("$scope"):
            scope.append(line.split()[2])
        elif line.startswith("$upscope"):
            scope.pop()
        elif line.startswith("$var"):
            p = line.split()
            rng = p[5] if len(p) > 6 and p[5].startswith("[") else ""
            names.setdefault(".".join(scope + [p[4]]) + rng, p[3])
        elif line.startswith("#"):
            t = int(line[1:])
        elif line[:1] in ("0", "1", "x", "z"):
            changes.append((t, line[1:].strip(), line[0]))
        elif line[:1] == "b":
            v, i = line[1:].split()
            changes.append((t, i, v))
    return names, changes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fst2vcd", default="fst2vcd")
    ap.add_argument("--fst", required=True)
    ap.add_argument("--gtkw", required=True)
    a = ap.parse_args()
    p = subprocess.run([a.fst2vcd, a.fst], capture_output=True, text=True)
    if p.returncode != 0:
        print(f"FAILURE: {a.fst2vcd} {a.fst}: {p.stderr.strip()}")
        return 1
    names, changes = read_vcd(p.stdout)
    wanted = [l.strip() for l in open(a.gtkw) if l.startswith("trap_unit.")]
    missing = [w for w in wanted if w not in names]
    if not wanted or missing:
        print(f"FAILURE: signals of {a.gtkw} not in the FST: {', '.join(missing) or '(the save file names none)'}")
        return 1
    print(f"all {len(wanted)} signals of the save file are in the FST")

    ids = {n.split("[")[0]: i for n, i in names.items()}
    sig = {k: ids["trap_unit." + k] for k in ("clk_i", "req_valid_i", "req_ready_o", "req_insn_i", "req_mode_i",
                                                "mr_valid_o", "mr_field_o", "rsp_valid_o", "rsp_target_o",
                                                "rsp_cause_o", "rsp_action_o")}
    # Replay edge by edge: `before` is what a rising edge samples, `cur` what it produced.
    cur, edge_no, answer, accepted, fields = {}, 0, None, False, []
    times = sorted({t for t, _, _ in changes})
    by_time = {}
    for t, i, v in changes:
        by_time.setdefault(t, []).append((i, v))
    for t in times:
        before = dict(cur)
        for i, v in by_time[t]:
            cur[i] = v
        rising = before.get(sig["clk_i"]) == "0" and cur.get(sig["clk_i"]) == "1"
        if not rising:
            continue
        b = lambda k: int(before.get(sig[k], "0").replace("x", "0"), 2)
        c = lambda k: int(cur.get(sig[k], "0").replace("x", "0"), 2)
        if not accepted:
            if b("req_valid_i") and b("req_ready_o") and b("req_insn_i") == 0x73 and b("req_mode_i") == 0:
                accepted, edge_no = True, 1
                if c("rsp_valid_o"):
                    answer = (edge_no, c("rsp_action_o"), c("rsp_target_o"), c("rsp_cause_o"))
                    break
            continue
        edge_no += 1
        if b("mr_valid_o"):
            fields.append(b("mr_field_o"))
        if c("rsp_valid_o"):
            answer = (edge_no, c("rsp_action_o"), c("rsp_target_o"), c("rsp_cause_o"))
            break
        if edge_no > 32:
            break
    if not accepted:
        print("FAILURE: no ecall from U accepted in the FST")
        return 1
    ok = True
    if fields[:4] != [0, 1, 2, 3]:
        print(f"FAILURE: the frame beats are fields {fields[:4]}, want epc, cause, tval, status (0 1 2 3)")
        ok = False
    if answer != (5, 1, 1, 8):
        print(f"FAILURE: the ecall's answer (edge, action, target, cause) is {answer}, want (5, trap, G, ecall_u 8)")
        ok = False
    if not ok:
        return 1
    print("ecall from U: frame epc, cause, tval, status; answered trap -> G (ecall_u) 5 edges after the accepting one")
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
