#!/usr/bin/env python3
"""CTest rtl.trap_unit_waves: the trap unit's FST against the generated waves/trap_unit.gtkw.

usage: waves_check.py --fst2vcd fst2vcd --fst FILE --gtkw build/generated/waves/trap_unit.gtkw

Checks that every signal the save file names is in the FST (so the documented
view opens with nothing missing), that its enum-valued fields (modes, kind,
action, cause) are shown through translate filter files that exist, with no
fixed window, and that the waveform shows what docs/rtl.md
says of modes_chain's ecall from U: accepted on a rising edge; every edge
until the answer is a port beat or a port stall (latency = 1 + those), the
request's own beats epc then status, the answer (trap to G, cause ecall_u)
right after the status beat; then cause (8) and tval (the word) written to G
in the background. Prints the next request's (back-to-back) latency, and PASS
or FAILURE lines.
"""
import argparse
import os
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
    lines = [l.rstrip("\n") for l in open(a.gtkw)]
    filtered = {lines[k + 1].split("[")[0]: lines[k].split(None, 1)[1] for k in range(len(lines) - 1)
                if lines[k].startswith("^")}
    enums = ("req_mode_i", "mr_mode_o", "rsp_kind_o", "rsp_action_o", "rsp_target_o", "rsp_cause_o")
    bad = [e for e in enums if not os.path.exists(filtered.get("trap_unit." + e, ""))]
    fixed = [l for l in lines if l.startswith("*") or (l.startswith("[timestart]") and l.split()[1] != "0")]
    if bad or fixed:
        print(f"FAILURE: {a.gtkw}: fields shown without an existing filter file: {', '.join(bad) or 'none'}; "
              f"fixed window lines: {fixed or 'none'}")
        return 1
    print(f"{len(enums)} enum fields through their filters, no fixed window")

    ids = {n.split("[")[0]: i for n, i in names.items()}
    keys = ("clk_i", "req_valid_i", "req_ready_o", "req_insn_i", "req_mode_i", "mr_valid_o", "mr_ready_i",
            "mr_field_o", "mr_mode_o", "mr_data_o", "rsp_valid_o", "rsp_target_o", "rsp_cause_o", "rsp_action_o")
    sig = {k: ids["trap_unit." + k] for k in keys}
    # Replay edge by edge: `before` is what a rising edge samples, `cur` what it produced.
    edges = []
    cur = {}
    by_time = {}
    for t, i, v in changes:
        by_time.setdefault(t, []).append((i, v))
    for t in sorted(by_time):
        before = dict(cur)
        for i, v in by_time[t]:
            cur[i] = v
        if before.get(sig["clk_i"]) == "0" and cur.get(sig["clk_i"]) == "1":
            val = lambda d: {k: int(d.get(sig[k], "0").replace("x", "0").replace("z", "0"), 2) for k in keys}
            edges.append((t, val(before), val(cur)))

    def request(first, insn, mode):
        """The edge index accepting insn in mode at or after `first`, or None."""
        for n in range(first, len(edges)):
            b = edges[n][1]
            if b["req_valid_i"] and b["req_ready_o"] and b["req_insn_i"] == insn and b["req_mode_i"] == mode:
                return n
        return None

    def follow(n):
        """From the accepting edge n: (latency, port events until the answer, answer, edge after the answer)."""
        events = []
        for k in range(n, min(n + 32, len(edges))):
            b, c = edges[k][1], edges[k][2]
            if k > n and b["mr_valid_o"]:
                events.append(b["mr_field_o"] if b["mr_ready_i"] else "stall")
            if c["rsp_valid_o"]:
                return k - n + 1, events, (c["rsp_action_o"], c["rsp_target_o"], c["rsp_cause_o"]), k + 1
        return None, events, None, None

    ok = True
    n = request(0, 0x73, 0)
    if n is None:
        print("FAILURE: no ecall from U accepted in the FST")
        return 1
    latency, events, answer, after = follow(n)
    own = [e for e in events if e in (0, 3)]
    stalls_and_buffer = [e for e in events if e not in (0, 3)]
    if answer != (1, 1, 8):
        print(f"FAILURE: the ecall's answer (action, target, cause) is {answer}, want (trap, G, ecall_u 8)")
        ok = False
    if own != [0, 3] or (events and events[-1] != 3):
        print(f"FAILURE: the ecall's port beats before its answer are {events}, want epc (0) then status (3) last")
        ok = False
    if latency != 1 + len(events):
        print(f"FAILURE: the ecall took {latency} edges, but its port shows {events}: every edge after the accepting"
              " one must be a beat or a stall")
        ok = False
    # After the answer, the buffer writes cause and tval to G, in the background.
    drained = []
    for k in range(after or 0, min((after or 0) + 12, len(edges))):
        b = edges[k][1]
        if b["mr_valid_o"] and b["mr_ready_i"] and b["mr_field_o"] in (1, 2):
            drained.append((b["mr_field_o"], b["mr_mode_o"], b["mr_data_o"]))
        if len(drained) == 2:
            break
    if drained != [(1, 1, 8), (2, 1, 0x73)]:
        print(f"FAILURE: after the answer the port wrote {drained}, want cause 8 then tval 0x73 to G")
        ok = False
    # The handler's next request that writes the port right away waits: a back-to-back stall.
    nxt = after
    while nxt is not None and nxt < len(edges) and not edges[nxt][1]["req_valid_i"]:
        nxt += 1
    if ok and nxt is not None and nxt < len(edges):
        lat2, ev2, _, _ = follow(nxt)
        print(f"next request 0x{edges[nxt][1]['req_insn_i']:08x}, back to back: {lat2} edges, port {ev2}")
    if not ok:
        return 1
    print(f"ecall from U: answered trap -> G (ecall_u) {latency} edges after the accepting one, port {events};"
          " cause and tval written after the answer")
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
