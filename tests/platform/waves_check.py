#!/usr/bin/env python3
"""Checks of the platform trace (trimode run --vcd/--fst) and its GTKWave files.

usage:
  waves_check.py window VCD|FST INSN_TRACE FROM TO  (pc, word) per instruction time and loads/stores (mem.valid
                                                   high then) == instructions FROM..TO-1 of --trace-insn
  waves_check.py timewindow VCD FROM_PS TO_PS      every time stamp in [FROM_PS, TO_PS) (strobes may fall at TO_PS)
  waves_check.py roundtrip VCD FST [MIN_BLOCKS]    fst2vcd FST has the same signals and changes as VCD
                                                   (and at least MIN_BLOCKS value-change blocks)
  waves_check.py size FST STATS MAX_BYTES          FST bytes per retired instruction (--stats) <= MAX
  waves_check.py threads TRIMODE ELF DIR           --stats' trace thread times: present with --fst (writer,
                                                   compression, run) and --vcd (no compression), absent
                                                   untraced; the threads' cpu within the process's, waits
                                                   within its wall time
  waves_check.py filters GEN_DIR SPEC_DIR          translate filters name every mode, kind, action, cause
  waves_check.py gtkw GTKW VCD                     the save file names only signals and filters that exist
  waves_check.py timebase RTL_FST VCD              every instruction's time starts an RTL clock cycle (same time base)
  waves_check.py rtlpins RTL_FST VCD               the trace's rtl.clk/req_valid/req_ready/rsp_valid == the RTL FST's pins
  waves_check.py modes VCD|FST INSN_TRACE          core.mode takes every mode of the run in order: each
                                                   instruction's, and each trap's left and entered
  waves_check.py pinsync VCD|FST [PERIOD_PS]       every instruction's decode is requested on the rtl.clk edge half
                                                   a period after its time (rtl.req_valid high), the last one too:
                                                   no request edge after it (the pins do not drift, issue 13)
  waves_check.py over TRIMODE SW_DIR DIR           an FST written over an older file: the file a run into a new path
                                                   makes (cut to its length); a run killed while writing it leaves
                                                   its header tagged "being written", which fst2vcd refuses
Prints PASS or one FAIL line per problem (exit 1).
"""
import bisect
import os
import re
import subprocess
import sys


def parse_vcd(text, keep=None):
    """-> ({full name: id}, {id: [(time, value)]}), names as GTKWave shows them. text: the VCD, or an
    iterable of its lines (read as they come: stream_trace); keep: the full names whose changes are kept
    (None: every signal's)."""
    names, changes, scope, t = {}, {}, [], 0
    tokens = iter(text.split()) if isinstance(text, str) else (tok for line in text for tok in line.split())
    kept = None if keep is None else set()
    for tok in tokens:
        if tok == "$scope":
            next(tokens)
            scope.append(next(tokens))
        elif tok == "$upscope":
            scope.pop()
        elif tok == "$var":
            _kind, _width, ident, ref = next(tokens), next(tokens), next(tokens), next(tokens)
            rest = next(tokens)
            if rest != "$end":
                ref += rest
                next(tokens)
            names[".".join(scope + [ref])] = ident
            changes.setdefault(ident, [])
            if kept is not None and ".".join(scope + [ref]) in keep:
                kept.add(ident)
        elif tok.startswith("$"):
            if tok in ("$date", "$version", "$timescale", "$comment"):
                for tok2 in tokens:
                    if tok2 == "$end":
                        break
        elif tok.startswith("#"):
            t = int(tok[1:])
        elif tok[0] in "bBrR":
            ident = next(tokens)
            if kept is None or ident in kept:
                changes[ident].append((t, int(tok[1:], 2) if tok[0] in "bB" else tok[1:]))
        elif tok[0] in "01xzXZ":
            if kept is None or tok[1:] in kept:
                changes[tok[1:]].append((t, int(tok[0]) if tok[0] in "01" else tok[0]))
    return names, changes


def stream_trace(path, keep):
    """parse_vcd of a VCD or an FST (through fst2vcd) read line by line, keeping only the changes
    of the signals named in keep: memory stays small for a whole run's trace (the default
    scenario's FST is about 1 GB of VCD text; read whole, 5 GB of Python objects)."""
    if not path.endswith(".fst"):
        with open(path) as f:
            return parse_vcd(f, keep)
    with subprocess.Popen(["fst2vcd", path], stdout=subprocess.PIPE, text=True) as p:
        result = parse_vcd(p.stdout, keep)
        p.stdout.read()
    if p.returncode != 0:
        raise SystemExit(f"FAIL: fst2vcd {path} exited {p.returncode}")
    return result


def load(path):
    with open(path) as f:
        return parse_vcd(f.read())


def by_name(names, changes):
    return {n: changes[i] for n, i in names.items()}


def signal(path, name):
    names, changes = load(path)
    return changes[names[name]]


def fail(msgs):
    for m in msgs:
        print("FAIL:", m)
    if msgs:
        sys.exit(1)
    print("PASS")


def check_window(vcd, insn_trace, lo, hi):
    """Instruction by instruction: (pc, word) at each instruction time of the trace (VCD, or FST read
    through fst2vcd) == instructions lo..hi-1 of the --trace-insn file (consecutive repeats merged:
    a jump to itself changes nothing), and mem.valid high exactly at the loads' and stores' times."""
    insns, accesses = [], []
    with open(insn_trace) as f:
        for line in f:
            if not line.startswith("--"):
                insns.append((int(line.split()[1], 16), int(line.split()[2].strip("()"), 16)))
                m = re.search(r" (load|store) 0x([0-9a-f]+)", line)
                accesses.append((m.group(1) == "store", int(m.group(2), 16)) if m else None)
    lo, hi = int(lo), int(hi)
    dedup = lambda xs: [x for i, x in enumerate(xs) if i == 0 or x != xs[i - 1]]
    want = dedup(insns[lo:hi])
    if vcd.endswith(".fst"):
        names, changes = parse_vcd(subprocess.run(["fst2vcd", vcd], check=True, capture_output=True, text=True).stdout)
    else:
        names, changes = load(vcd)
    sig = lambda name: changes[names[name]]
    pc, word = sig("trimode.core.pc[31:0]"), sig("trimode.core.insn[31:0]")
    insn_times = sorted({t for t, _ in pc} | {t for t, _ in word})
    got = dedup([(value_at(pc, t), value_at(word, t)) for t in insn_times])
    msgs = []
    # Every load and store (DMI or bus) is an instruction time at which mem.valid is high (it stays
    # high for the clock cycle of the access, so back-to-back accesses keep it high), with its
    # address and direction; at every other instruction time it is low.
    valid, write, addr = sig("trimode.mem.valid"), sig("trimode.mem.write"), sig("trimode.mem.addr[31:0]")
    seen = [(value_at(write, t) == 1, value_at(addr, t)) for t in insn_times if value_at(valid, t) == 1]
    want_acc = [a for a in accesses[lo:hi] if a]
    if seen != want_acc:
        msgs.append(f"{len(seen)} instruction times with mem.valid high (first {seen[:2]}) != {len(want_acc)} "
                    f"loads and stores of instructions {lo}..{hi} (first {want_acc[:2]})")
    if not want:
        msgs.append(f"the program retired fewer than {lo} instructions")
    if got != want:
        bad = next((i for i, (x, y) in enumerate(zip(got, want)) if x != y), min(len(got), len(want)))
        msgs.append(f"{len(got)} traced (pc, word) != {len(want)} instructions {lo}..{hi} of the run; first "
                    f"difference at {bad}: {got[bad:bad + 2]} vs {want[bad:bad + 2]}")
    return msgs


def check_timewindow(vcd, lo, hi):
    """Every time stamp in [lo, hi), but the strobes' fall at hi (high for the clock cycle of the
    window's last event)."""
    names, changes = load(vcd)
    strobes = {names["trimode.trap.taken"], names["trimode.mem.valid"]}
    times = {t for ch in changes.values() for t, _ in ch}
    at_end = {(i, v) for i, ch in changes.items() for t, v in ch if t == int(hi)}
    bad = sorted(t for t in times if not int(lo) <= t < int(hi) and not (t == int(hi) and
                                                                          all(i in strobes and v == 0 for i, v in at_end)))
    msgs = [f"{len(bad)} time stamps outside [{lo}, {hi}) ps, e.g. {bad[:3]}"] if bad else []
    if not times:
        msgs.append("no events in the window")
    return msgs


def check_roundtrip(vcd, fst, min_blocks=0):
    text = subprocess.run(["fst2vcd", fst], check=True, capture_output=True, text=True).stdout
    a, b = by_name(*load(vcd)), by_name(*parse_vcd(text))
    msgs = []
    with open(fst, "rb") as f:
        blocks = int.from_bytes(f.read(73)[65:73], "big")  # the header's value-change block count
    if blocks < int(min_blocks):
        msgs.append(f"{blocks} value-change blocks < {min_blocks}: the trace does not cross a block boundary")
    if set(a) != set(b):
        msgs.append(f"signals differ: {sorted(set(a) ^ set(b))}")
    for n in sorted(set(a) & set(b)):
        if a[n] != b[n]:
            msgs.append(f"{n}: {len(a[n])} changes in the VCD, {len(b[n])} in the FST (first difference "
                        f"{next(((x, y) for x, y in zip(a[n], b[n]) if x != y), None)})")
    return msgs


def check_size(fst, stats, bound):
    with open(stats) as f:
        m = re.search(r"instructions retired\s+(\d+)", f.read())
    if not m:
        return [f"no 'instructions retired' in {stats}"]
    insns, size = int(m.group(1)), os.path.getsize(fst)
    print(f"FST {size} bytes for {insns} instructions: {size / insns:.2f} bytes per instruction (bound {bound})")
    return [] if size <= float(bound) * insns else [f"{size / insns:.2f} bytes per instruction > {bound}"]


def run_stats(cmd):
    """-> (stderr, wall seconds, cpu seconds of the child: user + system) of a trimode run."""
    import resource
    import time
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return r.stderr, wall, cpu


THREAD_LINES = {
    "writer": r"trace writer +([0-9.]+) s cpu, waited ([0-9.]+) s for the run(?:, ([0-9.]+) s for compression)?\n",
    "compression": r"trace compression +([0-9.]+) s cpu, waited ([0-9.]+) s for the writer\n",
    "run": r"trace run +waited ([0-9.]+) s for the writer\n",
}


def check_threads(trimode, elf, out):
    msgs = []
    runs = {"fst": ["--fst", os.path.join(out, "threads.fst")], "vcd": ["--vcd", os.path.join(out, "threads.vcd")],
            "none": []}
    for kind, args in runs.items():
        err, wall, cpu = run_stats([trimode, "run", elf, "--stats", "--trace-to", "1000000"] + args
                                   if args else [trimode, "run", elf, "--stats"])
        found = {k: re.search(v, err) for k, v in THREAD_LINES.items()}
        want = {"fst": {"writer", "compression", "run"}, "vcd": {"writer", "run"}, "none": set()}[kind]
        have = {k for k, m in found.items() if m}
        if have != want:
            msgs.append(f"{kind}: trace lines {sorted(have)}, expected {sorted(want)}:\n{err}")
            continue
        if kind == "none":
            continue
        w = found["writer"]
        if (w.group(3) is not None) != (kind == "fst"):
            msgs.append(f"{kind}: the writer's wait for compression shown: {w.group(3) is not None}")
        threads_cpu = float(w.group(1)) + (float(found["compression"].group(1)) if kind == "fst" else 0)
        waits = [float(w.group(2)), float(found["run"].group(1))] + \
            ([float(w.group(3)), float(found["compression"].group(2))] if kind == "fst" else [])
        print(f"{kind}: threads' cpu {threads_cpu:.3f} s of the process's {cpu:.3f} s; waits {waits}; wall {wall:.3f} s")
        if not 0 < threads_cpu <= cpu + 0.02:
            msgs.append(f"{kind}: the trace threads' cpu {threads_cpu:.3f} s is not within the process's {cpu:.3f} s")
        if kind == "fst" and not float(found["compression"].group(1)) > 0:
            msgs.append("fst: the compression thread's cpu is 0")
        if any(x > wall + 0.02 for x in waits):
            msgs.append(f"{kind}: a wait {max(waits):.3f} s longer than the run's wall time {wall:.3f} s")
    return msgs


def read_filter(path):
    out = {}
    with open(path) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                value, name = line.split(None, 1)
                out[int(value)] = name.strip()
    return out


def check_filters(gen, spec):
    msgs = []
    with open(os.path.join(gen, "include/trimode/spec.hpp")) as f:
        hpp = f.read()
    enum = lambda name: {int(v): k for k, v in re.findall(r"(\w+) = (\d+)", re.search(
        r"enum class " + name + r" : uint8_t \{([^}]*)\}", hpp).group(1))}
    kinds = {int(k) for k in re.findall(r"\{(\d), Action::", hpp)}
    causes = {}
    with open(os.path.join(spec, "causes.txt")) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if line:
                causes[int(line[0], 0)] = line[1]
    want = {"mode": enum("Mode"), "action": {v: k[1:].lower() for v, k in enum("Action").items()},
            "cause": causes, "kind": {k: None for k in kinds | {0}}}
    for name, values in want.items():
        got = read_filter(os.path.join(gen, "waves", name + ".txt"))
        for v, n in values.items():
            if v not in got:
                msgs.append(f"{name}.txt has no value {v}")
            elif n is not None and got[v] != n:
                msgs.append(f"{name}.txt names {v} {got[v]!r}, the spec {n!r}")
        extra = set(got) - set(values)
        if extra:
            msgs.append(f"{name}.txt names values the spec has not: {sorted(extra)}")
    return msgs


def check_gtkw(gtkw, vcd):
    names, _ = load(vcd)
    msgs, shown = [], 0
    with open(gtkw) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("*"):
                msgs.append(f"a fixed zoom/marker line: {line}")
            elif line.startswith("[timestart]") and line.split()[1] != "0":
                msgs.append(f"a fixed start: {line}")
            elif line.startswith("^"):
                path = line.split(None, 1)[1]
                if not os.path.exists(path):
                    msgs.append(f"filter file missing: {path}")
            elif line and line[0] not in "[@-^*":
                shown += 1
                if line not in names:
                    msgs.append(f"{line} is not in {vcd}")
    if shown != len(names):
        msgs.append(f"the save file shows {shown} signals, the trace has {len(names)}")
    return msgs


def check_timebase(rtl_fst, vcd):
    """Each instruction's time starts a clock cycle of its decode in the RTL FST (clk_i falls then).
    Time 0 is left out: the RTL's reset and its latency probe are dumped there too."""
    text = subprocess.run(["fst2vcd", rtl_fst], check=True, capture_output=True, text=True).stdout
    names, changes = parse_vcd(text)
    clk = next(changes[i] for n, i in names.items() if n.endswith(".clk_i"))
    falls = {t for t, v in clk if v == 0}
    times = {t for t, _ in signal(vcd, "trimode.core.pc[31:0]") if t > 0}
    msgs = ["the RTL FST's timescale is not 1ps"] if not re.search(r"\$timescale\s+1ps", text) else []
    missing = sorted(times - falls)
    if missing or not times:
        msgs.append(f"{len(missing)} of {len(times)} instruction times start no RTL clock cycle, e.g. {missing[:3]}")
    return msgs


RTL_PINS = {"clk": "clk_i", "req_valid": "req_valid_i", "req_ready": "req_ready_o", "rsp_valid": "rsp_valid_o"}


def value_at(changes, t):
    """The value of a signal at time t (its last change at or before t; None before the first)."""
    i = bisect.bisect_right(changes, t, key=lambda c: c[0])
    return changes[i - 1][1] if i else None


def check_rtlpins(rtl_fst, vcd):
    """The trap unit's clock and handshake pins in the platform trace equal the RTL FST's at every
    time either changes, from the first to the last traced instruction (the whole run or a window);
    none changes outside the traced decodes; the handshake is exercised (traps take several edges)."""
    text = subprocess.run(["fst2vcd", rtl_fst], check=True, capture_output=True, text=True).stdout
    rnames, rchanges = parse_vcd(text)
    trace = by_name(*load(vcd))
    pcs = [t for t, _ in trace["trimode.core.pc[31:0]"]]
    rtl_pins = {name: next(rchanges[i] for n, i in rnames.items() if n.endswith("." + pin))
                for name, pin in RTL_PINS.items()}
    lo, hi = max(pcs[0], rtl_pins["clk"][0][0]), pcs[-1]  # the RTL FST starts at the first decode
    msgs = []
    for name, pin in RTL_PINS.items():
        ours, rtl = trace[f"trimode.rtl.{name}"], rtl_pins[name]
        times = sorted({t for t, _ in ours + rtl if lo <= t <= hi})
        bad = [t for t in times if value_at(ours, t) != value_at(rtl, t)]
        if bad:
            msgs.append(f"rtl.{name} differs from the RTL's {pin} at {len(bad)} of {len(times)} times, e.g. "
                        f"{bad[0]} ps: {value_at(ours, bad[0])} vs {value_at(rtl, bad[0])}")
        outside = [t for t, _ in ours[1:] if t < lo or t > hi + 32 * 5000]
        if outside:
            msgs.append(f"rtl.{name} changes outside the traced decodes, e.g. at {outside[0]} ps")
        if sum(1 for t, v in ours if v == 0 and lo < t <= hi) < 2:
            msgs.append(f"rtl.{name} hardly moves between {lo} and {hi} ps: nothing to compare")
    return msgs


def check_rtlwindow(rtl_fst, vcd, period_ps="10000"):
    """--rtl-fst with a trace window: the RTL FST holds only the window's decodes, from the first
    traced instruction's time to at most 32 clock cycles (the unit's answer bound) after the last."""
    text = subprocess.run(["fst2vcd", rtl_fst], check=True, capture_output=True, text=True).stdout
    times = [int(line[1:]) for line in text.splitlines() if line.startswith("#")]
    pcs = [t for t, _ in signal(vcd, "trimode.core.pc[31:0]")]
    if not times or not pcs:
        return [f"nothing to compare: {len(times)} RTL times, {len(pcs)} traced instructions"]
    lo, hi = pcs[0], pcs[-1] + 32 * int(period_ps)
    msgs = []
    if min(times) < lo:
        msgs.append(f"the RTL FST starts at {min(times)} ps, before the window's first instruction at {lo} ps")
    if max(times) > hi:
        msgs.append(f"the RTL FST goes on to {max(times)} ps, past the window's last instruction at {pcs[-1]} ps")
    if len(times) < 2 * len(pcs):
        msgs.append(f"{len(times)} RTL times for {len(pcs)} instructions: not every decode dumped")
    return msgs


MODES = {"U": 0, "G": 1, "V": 2}  # spec/modes: core.mode's values


def check_modes(trace, insn_trace):
    """The modes core.mode takes, consecutive repeats merged, == those of the --trace-insn lines of
    the same whole run: an instruction's mode, a trap's or interrupt's mode left then mode entered
    (a mode entered by an exit whose first instruction traps shows for the trap entry's cycles)."""
    want = []  # (consecutive repeats merged as they come: a whole run's trace is millions of lines)
    with open(insn_trace) as f:
        for line in f:
            m = re.match(r"-- (?:trap|interrupt) (\w) -> (\w)", line)
            for mode in [MODES[m.group(1)], MODES[m.group(2)]] if m else [MODES[line.split()[0]]] if line[0] in MODES else []:
                if not want or want[-1] != mode:
                    want.append(mode)
    name = "trimode.core.mode[1:0]"
    names, changes = stream_trace(trace, {name})
    dedup = lambda xs: [x for i, x in enumerate(xs) if i == 0 or x != xs[i - 1]]
    got = dedup([v for _, v in changes[names[name]]])
    if got == want:
        return [] if len(set(want)) == 3 else [f"the run visits modes {sorted(set(want))} only: nothing to check"]
    bad = next((i for i, (x, y) in enumerate(zip(got, want)) if x != y), min(len(got), len(want)))
    return [f"core.mode's {len(got)} modes != the run's {len(want)}; first difference at {bad}: "
            f"{got[max(bad - 2, 0):bad + 2]} vs {want[max(bad - 2, 0):bad + 2]}"]


def check_pinsync(trace, period_ps="10000"):
    """Under --cosim the trap unit runs on the core's clock, one request per decode: the decision of
    the instruction at time t is requested on the rising edge at t + half a period (rtl.clk rises,
    rtl.req_valid high). Checked for every traced instruction, and that the last one's request is the
    last: a unit clocked ahead of the core (an edge the core never charged) shows its requests later
    than their instructions, by one cycle per such edge, and still requesting after the last one."""
    sig = by_name(*stream_trace(trace, {"trimode.core.pc[31:0]", "trimode.rtl.req_valid", "trimode.rtl.clk"}))
    half = int(period_ps) // 2
    times = [t for t, _ in sig["trimode.core.pc[31:0]"] if t > 0]
    valid = sig["trimode.rtl.req_valid"]
    requests = [t for t, v in sig["trimode.rtl.clk"] if v == 1 and value_at(valid, t) == 1]
    if len(times) < 1000:
        return [f"only {len(times)} instructions traced: nothing to check"]
    at = set(requests)
    late = [t for t in times if t + half not in at]
    msgs = []
    if late:
        msgs.append(f"{len(late)} of {len(times)} instructions have no request edge half a period after their "
                    f"time, the first at {late[0]} ps")
    last = times[-1] + half
    after = [t for t in requests if t > last]
    if after:
        msgs.append(f"the last instruction's decision is at {last} ps but the unit requests until {after[-1]} ps: "
                    f"{len(after)} request edges after it, the pins {(after[-1] - last) // int(period_ps)} cycles late")
    return msgs


def check_over(trimode, sw, out):
    """--fst over an existing file writes it in place (OutputFile::open_over: no truncation first) and cuts
    it at the close: the result is byte for byte a new file's. Until the close the older file's bytes
    follow the new ones, so a run killed then must leave a file no reader takes for a trace: the header's
    tag stays FST_BL_SKIP (255) until the file is whole."""
    import time
    msgs = []
    fresh, over = os.path.join(out, "over_fresh.fst"), os.path.join(out, "over.fst")
    memtest, bench = os.path.join(sw, "memtest.elf"), os.path.join(sw, "bench_cpu.elf")
    for p in (fresh, over):
        if os.path.exists(p):
            os.remove(p)
    run = lambda *a: subprocess.run([trimode, "run", *a], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    text=True, check=False)
    # An older, longer trace there (a window of bench_cpu: about 30 MB).
    if run(bench, "--fst", over, "--trace-to", "20000000").returncode != 0:
        return ["the first bench_cpu run failed"]
    old_size = os.path.getsize(over)
    # A run killed while it writes over it (SIGKILL: nothing of trimode's runs after it).
    p = subprocess.Popen([trimode, "run", bench, "--fst", over, "--trace-from", "1000", "--trace-to", "20000000"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    tag = None
    while time.monotonic() < deadline and p.poll() is None:
        with open(over, "rb") as f:
            tag = f.read(1)
        if tag == b"\xff":
            break
        time.sleep(0.002)
    time.sleep(0.05)  # (its first value-change blocks written over the old ones)
    p.kill()
    if p.wait() != -9:
        msgs.append(f"the run to kill ended by itself (exit {p.returncode}) before it was killed: nothing checked")
    elif tag != b"\xff":
        msgs.append(f"while the run wrote the FST its first byte was {tag!r}, not 0xff (FST_BL_SKIP)")
    else:
        with open(over, "rb") as f:
            first = f.read(1)
        size = os.path.getsize(over)
        print(f"killed over a {old_size}-byte FST: {size} bytes, first byte {first!r}")
        if first != b"\xff":
            msgs.append(f"the killed run's FST starts with {first!r}: a reader may take it for a whole trace")
        r = subprocess.run(["fst2vcd", over], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        if r.returncode == 0:
            msgs.append("fst2vcd read the killed run's FST (the older file's blocks after the new ones)")
    # A whole run over what is left: the bytes a run into a new path writes, and no more.
    if run(memtest, "--fst", fresh).returncode != 0 or run(memtest, "--fst", over).returncode != 0:
        return msgs + ["a memtest run failed"]
    with open(fresh, "rb") as a, open(over, "rb") as b:
        same = a.read() == b.read()
    print(f"memtest over it: {os.path.getsize(over)} bytes, into a new path: {os.path.getsize(fresh)}")
    if not same:
        msgs.append(f"memtest's FST written over an older file ({os.path.getsize(over)} bytes) differs from the "
                    f"one written into a new path ({os.path.getsize(fresh)} bytes)")
    return msgs


CHECKS = {"window": check_window, "timewindow": check_timewindow, "roundtrip": check_roundtrip,
          "size": check_size, "threads": check_threads, "filters": check_filters, "gtkw": check_gtkw, "timebase": check_timebase,
          "rtlpins": check_rtlpins, "rtlwindow": check_rtlwindow, "modes": check_modes, "pinsync": check_pinsync,
          "over": check_over}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in CHECKS:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    fail(CHECKS[sys.argv[1]](*sys.argv[2:]))
